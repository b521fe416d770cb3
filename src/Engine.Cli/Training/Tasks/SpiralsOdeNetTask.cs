using System.Diagnostics;
using Engine.Autodiff;
using Engine.NN;
using Engine.Random;

namespace Engine.Cli.Training.Tasks;

using Engine.Ode;

/// <summary>
/// A neural ODE fitted to a spiral trajectory, after torchdiffeq's <c>ode_demo.py</c> (<see cref="SpiralTrajectory"/>): the
/// field is an MLP 2-50-2 with tanh acting on y^3 (weights N(0, 0.1), biases 0), integrated by dopri5 and trained on the
/// mean absolute error over random batches of 10-point windows, with Adam and a learning rate annealed (cosine) over all
/// iterations (the demo: RMSprop at 1e-3). An epoch is <see cref="IterationsPerEpoch"/> iterations followed by a solve of the
/// whole trajectory from y0, whose mean absolute error is the figure to watch: small errors of the learned speed add up
/// over the 25 time units, so it falls much more slowly than the windows' loss. Writes a PNG of the learned and true
/// trajectories (<c>out/spirals-odenet.png</c> unless --plot says).
/// </summary>
internal sealed class SpiralsOdeNetTask : ITrainingTask
{
    private const int IterationsPerEpoch = 500, WindowLength = 10, Hidden = 50;

    public string Name => "spirals-odenet";
    public string Description => "Neural ODE (MLP field on y^3, dopri5) fitted to a 2-D spiral trajectory, as torchdiffeq's ode_demo (no data files); Adam";
    public TrainingDefaults Defaults { get; } = new(20, 20, 3e-3);

    /// <summary>The solver settings for training and for the whole-trajectory solves.</summary>
    private static OdeOptions SolverOptions { get; } = new() { Solver = Solvers.Dopri5, Rtol = 1e-5, Atol = 1e-6 };

    public int Run(TrainingRequest request)
    {
        if (request.Checkpoint is not null || request.Resume is not null)
        {
            Console.Error.WriteLine($"{Name}: --checkpoint and --resume are not supported by this task");
            return 1;
        }
        if (request.Epochs <= 0 || request.BatchSize <= 0 || request.BatchSize > SpiralTrajectory.Length - WindowLength)
        {
            Console.Error.WriteLine($"{Name}: --epochs must be positive and --batch-size between 1 and {SpiralTrajectory.Length - WindowLength} " +
                $"(the window starts), got {request.Epochs} and {request.BatchSize}");
            return 1;
        }
        string plot = request.Plot ?? Path.Combine("out", $"{Name}.png");
        int iterations = Math.Min(IterationsPerEpoch, request.MaxBatches ?? int.MaxValue);

        using var data = new SpiralTrajectory(request.Device);
        var solver = SolverOptions with { Gradient = request.OdeGradient ?? OdeGradient.Direct };
        using var model = Model(request.Device, new Generator(request.Seed), solver);
        using var optimizer = new Adam(model.Parameters(), request.LearningRate);
        var schedule = new CosineAnnealingLR(optimizer, request.Epochs * iterations);
        var windows = new Generator(request.Seed + 1);
        var history = new OdeNetHistory();
        Console.WriteLine($"{Name}: OdeBlock with {model.ParameterCount:N0} parameters on {request.Device}, {request.Epochs} epochs of {iterations} " +
            $"batches of {request.BatchSize} windows of {WindowLength} points, Adam, learning rate {request.LearningRate}, seed {request.Seed}, " +
            $"{solver.Solver.Name} rtol {solver.Rtol} atol {solver.Atol}, {solver.Gradient} gradients, {Environment.ProcessorCount} threads");

        var clock = Stopwatch.StartNew();
        ProgressView.Run(request.Epochs, progress =>
        {
            for (int epoch = 0; epoch < request.Epochs; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                double lossSum = 0, evaluations = 0, backwardEvaluations = 0;
                for (int i = 0; i < iterations; i++)
                {
                    double loss = Step(model, optimizer, data, request.BatchSize, windows);
                    schedule.Step();
                    history.BatchLosses.Add(loss);
                    lossSum += loss;
                    evaluations += model.LastStats!.ForwardEvaluations;
                    backwardEvaluations += model.LastStats.BackwardEvaluations;
                    progress.Step(epoch, i, iterations, $"batch loss {lossSum / (i + 1):F4}  {Evaluations(evaluations, backwardEvaluations, i + 1)}");
                }
                double trajectoryLoss = WholeTrajectory(model, data).Loss;
                history.TrajectoryLosses.Add((history.BatchLosses.Count, trajectoryLoss));
                progress.EpochDone(epoch, $"batch loss {lossSum / iterations:F4}  trajectory loss {trajectoryLoss:F4}  " +
                    $"{Evaluations(evaluations, backwardEvaluations, iterations)}  {epochClock.Elapsed.TotalSeconds:F1} s");
            }
        });
        Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s");
        var (finalLoss, learned) = WholeTrajectory(model, data);
        TrajectoryPlot.Save(plot, Name, data.Times.ToArray<float>(), data.States.ToArray<float>(), learned, history);
        Console.WriteLine($"plot written to {plot}");
        Console.WriteLine($"final trajectory loss: {finalLoss:F4} (mean |learned - true| over the {SpiralTrajectory.Length} points on [0, {SpiralTrajectory.Duration}])");
        return 0;
    }

    /// <summary>Mean evaluations of f per training solve; the backward ones too when the gradient method makes any.</summary>
    private static string Evaluations(double forward, double backward, int solves) => backward > 0
        ? $"{forward / solves:F0} + {backward / solves:F0} f evaluations per solve (forward + backward)"
        : $"{forward / solves:F0} f evaluations per solve";

    /// <summary>The ODE block: an MLP 2-50-2 with tanh acting on y^3, initialised as the demo does.</summary>
    private static OdeBlock Model(Device device, Generator generator, OdeOptions solver)
    {
        var field = new Sequential(new Cube(), new Linear(2, Hidden, generator: generator), new Tanh(), new Linear(Hidden, 2, generator: generator));
        foreach (var layer in field.Layers.OfType<Linear>())
        {
            Init.Normal(layer.Weight, 0, 0.1, generator);
            Init.Constant(layer.Bias!, 0);
        }
        var block = new OdeBlock(field, solver);
        block.To(device);
        return block;
    }

    /// <summary>One Adam step on the mean absolute error over a batch of windows; returns the loss.</summary>
    private static double Step(OdeBlock model, Optimizer optimizer, SpiralTrajectory data, int batchSize, Generator windows)
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        var (start, times, targets) = data.Windows(batchSize, WindowLength, windows);
        var loss = (model.Trajectory(start, times) - targets).Abs().Mean();
        tape.Backward(loss);
        optimizer.Step();
        optimizer.ZeroGrad();
        return loss.Item<double>();
    }

    /// <summary>The mean absolute error of the learned trajectory from y0 over all 1000 times, and that trajectory ([1000 * 2] values).</summary>
    private static (double Loss, float[] Learned) WholeTrajectory(OdeBlock model, SpiralTrajectory data)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = Tape.NoGrad();
        var learned = model.Trajectory(data.States[..1], data.Times).Reshape(SpiralTrajectory.Length, 2);
        return ((learned - data.States).Abs().Mean().Item<double>(), learned.ToArray<float>());
    }

    /// <summary>y^3, elementwise: the field sees the cube of the state, as the demo's <c>ODEFunc</c>.</summary>
    private sealed class Cube : Module
    {
        public override Tensor Forward(Tensor input) => input * input * input;
    }
}

/// <summary>What a spirals-odenet run recorded: each batch's loss, and the whole-trajectory loss after each epoch (with the number of batches by then).</summary>
internal sealed class OdeNetHistory
{
    public List<double> BatchLosses { get; } = [];
    public List<(int Batches, double Loss)> TrajectoryLosses { get; } = [];
}
