using System.Diagnostics;
using Engine.NN.Training;

namespace Engine.Cli.Training;

/// <summary>One <c>engine train</c> run: set up, resume, train with a progress display, report, plot.</summary>
internal sealed class TrainingRun(ITrainingTask task, TrainingRequest request, string? checkpoint, string? resume, string? plot, int? maxBatches)
{
    public int Execute()
    {
        TrainingSetup? setup = null;
        Trainer trainer;
        try
        {
            setup = task.Create(request);
            trainer = new Trainer(setup.Model, setup.Optimizer, setup.Train, setup.Test, setup.Scheduler, request.Seed) { MaxBatchesPerEpoch = maxBatches };
            if (resume is not null) trainer.LoadCheckpoint(resume);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            setup?.Dispose();
            Console.Error.WriteLine($"{task.Name}: {e.Message}");
            return 1;
        }
        using (setup)
        {
            if (resume is not null)
                Console.WriteLine($"resumed from {resume}: {trainer.CompletedEpochs} epochs, {trainer.GlobalStep} steps done");
            string summary = $"{setup.Model.GetType().Name} with {setup.Model.ParameterCount:N0} parameters on {request.Device}, " +
                $"{setup.Train.Dataset.Count:N0} training and {setup.Test.Dataset.Count:N0} test samples, {request.Epochs} epochs of " +
                $"{setup.Train.BatchCount} batches of {request.BatchSize}, learning rate {request.LearningRate}, seed {request.Seed}, {Environment.ProcessorCount} threads";
            Console.WriteLine($"{task.Name}: {summary}");
            var clock = Stopwatch.StartNew();
            ProgressView.Run(trainer, request.Epochs, checkpoint);
            var final = trainer.History.Epochs.Count > 0 ? trainer.History.Epochs[^1] : null;
            var test = final?.TestAccuracy is { } accuracy ? (Accuracy: accuracy, Loss: final.TestLoss!.Value) : Evaluate(trainer);
            Console.WriteLine($"trained in {clock.Elapsed.TotalSeconds:F1} s ({SecondsPerEpoch(trainer):F1} s per epoch)");
            if (plot is not null)
            {
                TrainingPlot.Save(plot, task.Name, trainer.History);
                Console.WriteLine($"plot written to {plot}");
            }
            Console.WriteLine($"test accuracy: {100 * test.Accuracy:F2}% (loss {test.Loss:F4})");
        }
        return 0;
    }

    private static (double Accuracy, double Loss) Evaluate(Trainer trainer)
    {
        var evaluation = trainer.Evaluate(trainer.Test!);
        return (evaluation.Accuracy, evaluation.Loss);
    }

    private static double SecondsPerEpoch(Trainer trainer) =>
        trainer.History.Epochs.Count == 0 ? 0 : trainer.History.Epochs.Average(e => e.Seconds);
}
