using System.CommandLine;
using Engine.Cli.Training;

var root = new RootCommand("Engine: tensors, tape autodiff and neural ODEs in C#") { TrainCommand.Create() };
return root.Parse(args).Invoke();
