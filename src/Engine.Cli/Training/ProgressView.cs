using Engine.NN.Training;
using Spectre.Console;

namespace Engine.Cli.Training;

/// <summary>
/// Shows training progress: in a terminal, a Spectre.Console progress bar per epoch with the running loss, accuracy
/// and throughput (finished epochs keep their line, with the test results); when the output is redirected, plain
/// lines at every tenth of an epoch and at its end.
/// </summary>
internal static class ProgressView
{
    public static void Run(Trainer trainer, int epochs, string? checkpoint)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
            RunWithBars(trainer, epochs, checkpoint);
        else
            trainer.Run(epochs,
                onStep: step =>
                {
                    if ((step.Batch + 1) % Math.Max(1, step.BatchCount / 10) == 0 && step.Batch + 1 < step.BatchCount)
                        Console.WriteLine($"{Describe(step.Epoch, epochs)}  batch {step.Batch + 1}/{step.BatchCount}  {Running(step)}");
                },
                onEpoch: epoch => Console.WriteLine($"{Describe(epoch.Epoch, epochs)}  done  {Finished(epoch, checkpoint)}"),
                checkpointPath: checkpoint);
    }

    private static void RunWithBars(Trainer trainer, int epochs, string? checkpoint)
    {
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask? current = null;
                trainer.Run(epochs,
                    onStep: step =>
                    {
                        if (current is null || step.Batch == 0)
                            current = context.AddTask(Markup.Escape(Describe(step.Epoch, epochs)), maxValue: step.BatchCount);
                        current.Description = Markup.Escape($"{Describe(step.Epoch, epochs)}  {Running(step)}");
                        current.Value = step.Batch + 1;
                    },
                    onEpoch: epoch =>
                    {
                        if (current is null) return;
                        current.Description = Markup.Escape($"{Describe(epoch.Epoch, epochs)}  {Finished(epoch, checkpoint)}");
                        current.StopTask();
                        current = null;
                    },
                    checkpointPath: checkpoint);
            });
    }

    private static string Describe(int epoch, int epochs) => $"epoch {epoch + 1}/{epochs}";

    private static string Running(StepResult step) =>
        $"loss {step.EpochLoss:F4}  acc {100 * step.EpochAccuracy:F2}%  {step.SamplesPerSecond:N0} samples/s  lr {step.LearningRate:G3}";

    private static string Finished(EpochResult epoch, string? checkpoint)
    {
        string test = epoch.TestAccuracy is { } accuracy ? $"  test loss {epoch.TestLoss:F4} acc {100 * accuracy:F2}%" : "";
        return $"loss {epoch.TrainLoss:F4}  acc {100 * epoch.TrainAccuracy:F2}%  {epoch.SamplesPerSecond:N0} samples/s  {epoch.Seconds:F1} s{test}" +
            (checkpoint is null ? "" : "  (checkpoint saved)");
    }
}
