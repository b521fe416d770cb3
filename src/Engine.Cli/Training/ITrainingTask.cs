using Engine.NN;
using Engine.NN.Data;

namespace Engine.Cli.Training;

/// <summary>
/// One thing <c>engine train</c> can train: a model, its data, its optimizer and schedule. Add a task by writing a
/// class that implements this interface and listing it in <see cref="TrainingTasks.All"/>.
/// </summary>
internal interface ITrainingTask
{
    /// <summary>The name on the command line, e.g. <c>mnist-convnet</c>.</summary>
    string Name { get; }

    /// <summary>One line for the help text.</summary>
    string Description { get; }

    /// <summary>Epochs, batch size and learning rate when the command line does not give them.</summary>
    TrainingDefaults Defaults { get; }

    /// <summary>Builds the model (on the requested device), the loaders and the optimizer; throws with a clear message when the data is missing.</summary>
    TrainingSetup Create(TrainingRequest request);
}

/// <summary>A task's default hyper-parameters.</summary>
internal sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate);

/// <summary>What the command line asked for, defaults filled in.</summary>
internal sealed record TrainingRequest(string DataFolder, Device Device, int Epochs, int BatchSize, double LearningRate, ulong Seed);

/// <summary>Everything a training run needs; owns the model and the optimizer.</summary>
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
