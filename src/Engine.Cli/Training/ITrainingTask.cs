using Engine.Ode;

namespace Engine.Cli.Training;

/// <summary>
/// One thing <c>engine train</c> can train. Add a task by writing a class that implements this interface (classifiers
/// trained by <see cref="Engine.NN.Training.Trainer"/> derive from <see cref="ClassifierTask"/>) and listing it in
/// <see cref="TrainingTasks.All"/>.
/// </summary>
internal interface ITrainingTask
{
    /// <summary>The name on the command line, e.g. <c>mnist-convnet</c>.</summary>
    string Name { get; }

    /// <summary>One line for the help text.</summary>
    string Description { get; }

    /// <summary>Epochs, batch size and learning rate when the command line does not give them.</summary>
    TrainingDefaults Defaults { get; }

    /// <summary>Trains as <paramref name="request"/> says, showing progress; returns the exit code (1 with a one-line message on bad input).</summary>
    int Run(TrainingRequest request);
}

/// <summary>A task's default hyper-parameters.</summary>
internal sealed record TrainingDefaults(int Epochs, int BatchSize, double LearningRate);

/// <summary>What the command line asked for, defaults filled in; the last five are null when not given.</summary>
internal sealed record TrainingRequest(string DataFolder, Device Device, int Epochs, int BatchSize, double LearningRate, ulong Seed,
    string? Checkpoint = null, string? Resume = null, string? Plot = null, int? MaxBatches = null, OdeGradient? OdeGradient = null);
