namespace Engine.NN.Training;

/// <summary>One optimisation step: its loss and accuracy on the batch, and the running means of the epoch so far.</summary>
public sealed record StepResult(int Epoch, int Batch, int BatchCount, long GlobalStep, double Loss, double Accuracy,
    double EpochLoss, double EpochAccuracy, double SamplesPerSecond, double LearningRate);

/// <summary>One finished epoch: training loss and accuracy (means over its batches), test results when a test set was given.</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double? TestLoss, double? TestAccuracy,
    double SamplesPerSecond, double Seconds);

/// <summary>Mean loss and accuracy over a data set.</summary>
public sealed record Evaluation(double Loss, double Accuracy, int Samples);

/// <summary>Everything a run has recorded: every step's batch loss and accuracy, and every epoch's summary.</summary>
public sealed class TrainingHistory
{
    /// <summary>Batch loss of each optimisation step, in order.</summary>
    public List<double> StepLosses { get; init; } = [];

    /// <summary>Batch accuracy of each optimisation step, in order.</summary>
    public List<double> StepAccuracies { get; init; } = [];

    /// <summary>Per epoch, in order.</summary>
    public List<EpochResult> Epochs { get; init; } = [];
}
