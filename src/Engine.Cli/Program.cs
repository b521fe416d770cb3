using System.CommandLine;
using Engine.Cli;
using Engine.Cli.Training;

var steps = new Option<int>("--steps") { Description = "Gradient-descent steps", DefaultValueFactory = _ => 2000 };
var hidden = new Option<int>("--hidden") { Description = "Hidden units", DefaultValueFactory = _ => 32 };
var learningRate = new Option<double>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 0.2 };
var seed = new Option<ulong>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 0UL };

var demo = new Command("demo", "Fit a 2-layer MLP to a 2-D regression with the tape and gradient descent") { steps, hidden, learningRate, seed };
demo.SetAction(result => MlpDemo.Run(result.GetValue(steps), result.GetValue(hidden), result.GetValue(learningRate), result.GetValue(seed)));

var root = new RootCommand("Engine: tensors, tape autodiff and neural ODEs in C#") { demo, TrainCommand.Create() };
return root.Parse(args).Invoke();
