using Engine.NN;
using Engine.NN.Data;

namespace Engine.Cli.Training;

/// <summary>A classifier trained with cross-entropy by <see cref="Engine.NN.Training.Trainer"/>: the task only builds the model, its data and its optimizer.</summary>
internal abstract class ClassifierTask : ITrainingTask
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract TrainingDefaults Defaults { get; }

    /// <summary>Builds the model (on the requested device), the loaders and the optimizer; throws with a clear message when the data is missing.</summary>
    public abstract TrainingSetup Create(TrainingRequest request);

    public int Run(TrainingRequest request)
    {
        if (request.OdeGradient is not null)
        {
            Console.Error.WriteLine($"{Name}: --ode-gradient applies only to a task that solves ODEs (spirals-odenet)");
            return 1;
        }
        return new ClassifierRun(this, request).Execute();
    }
}

/// <summary>Everything a classifier's training run needs; owns the model and the optimizer.</summary>
internal sealed class TrainingSetup(Module model, Optimizer optimizer, LrScheduler? scheduler, DataLoader train, DataLoader test) : IDisposable
{
    public Module Model { get; } = model;
    public Optimizer Optimizer { get; } = optimizer;
    public LrScheduler? Scheduler { get; } = scheduler;
    public DataLoader Train { get; } = train;
    public DataLoader Test { get; } = test;

    public void Dispose()
    {
        Optimizer.Dispose();
        Model.Dispose();
    }
}
