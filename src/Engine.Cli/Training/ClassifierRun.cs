using System.Diagnostics;
using Engine.NN.Training;

namespace Engine.Cli.Training;

/// <summary>One <c>engine train</c> run of a classifier: set up, resume, train with a progress display, report, plot.</summary>
internal sealed class ClassifierRun(ClassifierTask task, TrainingRequest request)
{
    public int Execute()
    {
        TrainingSetup? setup = null;
        Trainer trainer;
        try
        {
            setup = task.Create(request);
            trainer = new Trainer(setup.Model, setup.Optimizer, setup.Train, setup.Test, setup.Scheduler, request.Seed) { MaxBatchesPerEpoch = request.MaxBatches };
            if (request.Resume is not null) trainer.LoadCheckpoint(request.Resume);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            setup?.Dispose();
            Console.Error.WriteLine($"{task.Name}: {e.Message}");
            return 1;
        }
        using (setup)
        {
            if (request.Resume is not null)
                Console.WriteLine($"resumed from {request.Resume}: {trainer.CompletedEpochs} epochs, {trainer.GlobalStep} steps done");
            string summary = $"{setup.Model.GetType().Name} with {setup.Model.ParameterCount:N0} parameters on {request.Device}, " +
                $"{setup.Train.Dataset.Count:N0} training and {setup.Test.Dataset.Count:N0} test samples, {request.Epochs} epochs of " +
                $"{setup.Train.BatchCount} batches of {request.BatchSize}, learning rate {request.LearningRate}, seed {request.Seed}, {Environment.ProcessorCount} threads";
            Console.WriteLine($"{task.Name}: {summary}");
            var clock = Stopwatch.StartNew();
            ProgressView.Run(request.Epochs, progress => trainer.Run(request.Epochs,
                onStep: step => progress.Step(step.Epoch, step.Batch, step.BatchCount, Running(step)),
                onEpoch: epoch => progress.EpochDone(epoch.Epoch, Finished(epoch, request.Checkpoint)),
                checkpointPath: request.Checkpoint));
            var final = trainer.History.Epochs.Count > 0 ? trainer.History.Epochs[^1] : null;
            var test = final?.TestAccuracy is { } accuracy ? (Accuracy: accuracy, Loss: final.TestLoss!.Value) : Evaluate(trainer);
            Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s ({SecondsPerEpoch(trainer):F1} s per epoch)");
            if (request.Plot is not null)
            {
                TrainingPlot.Save(request.Plot, task.Name, trainer.History);
                Console.WriteLine($"plot written to {request.Plot}");
            }
            Console.WriteLine($"test accuracy: {100 * test.Accuracy:F2}% (loss {test.Loss:F4})");
        }
        return 0;
    }

    private static string Running(StepResult step) =>
        $"loss {step.EpochLoss:F4}  acc {100 * step.EpochAccuracy:F2}%  {step.SamplesPerSecond:N0} samples/s  lr {step.LearningRate:G3}";

    private static string Finished(EpochResult epoch, string? checkpoint)
    {
        string test = epoch.TestAccuracy is { } accuracy ? $"  test loss {epoch.TestLoss:F4} acc {100 * accuracy:F2}%" : "";
        return $"loss {epoch.TrainLoss:F4}  acc {100 * epoch.TrainAccuracy:F2}%  {epoch.SamplesPerSecond:N0} samples/s  {epoch.Seconds:F1} s{test}" +
            (checkpoint is null ? "" : "  (checkpoint saved)");
    }

    private static (double Accuracy, double Loss) Evaluate(Trainer trainer)
    {
        var evaluation = trainer.Evaluate(trainer.Test!);
        return (evaluation.Accuracy, evaluation.Loss);
    }

    private static double SecondsPerEpoch(Trainer trainer) =>
        trainer.History.Epochs.Count == 0 ? 0 : trainer.History.Epochs.Average(e => e.Seconds);
}
