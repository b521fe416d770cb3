using Spectre.Console;

namespace Engine.Cli.Training;

/// <summary>
/// Shows training progress by epoch: in a terminal, a Spectre.Console progress bar per epoch with a running status line
/// (finished epochs keep their line, with their summary); when the output is redirected, plain lines at every tenth of
/// an epoch and at its end.
/// </summary>
internal static class ProgressView
{
    /// <summary>Runs <paramref name="train"/>, which reports its steps and epochs to the progress it is given.</summary>
    public static void Run(int epochs, Action<ITrainingProgress> train)
    {
        if (AnsiConsole.Profile.Capabilities.Interactive)
            AnsiConsole.Progress()
                .AutoClear(false)
                .HideCompleted(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context => train(new Bars(context, epochs)));
        else
            train(new Lines(epochs));
    }

    private static string Describe(int epoch, int epochs) => $"epoch {epoch + 1}/{epochs}";

    private sealed class Bars(ProgressContext context, int epochs) : ITrainingProgress
    {
        private ProgressTask? current;

        public void Step(int epoch, int step, int steps, string status)
        {
            if (current is null || step == 0)
                current = context.AddTask(Markup.Escape(Describe(epoch, epochs)), maxValue: steps);
            current.Description = Markup.Escape($"{Describe(epoch, epochs)}  {status}");
            current.Value = step + 1;
        }

        public void EpochDone(int epoch, string summary)
        {
            if (current is null) return;
            current.Description = Markup.Escape($"{Describe(epoch, epochs)}  {summary}");
            current.StopTask();
            current = null;
        }
    }

    private sealed class Lines(int epochs) : ITrainingProgress
    {
        public void Step(int epoch, int step, int steps, string status)
        {
            if ((step + 1) % Math.Max(1, steps / 10) == 0 && step + 1 < steps)
                Console.WriteLine($"{Describe(epoch, epochs)}  batch {step + 1}/{steps}  {status}");
        }

        public void EpochDone(int epoch, string summary) => Console.WriteLine($"{Describe(epoch, epochs)}  done  {summary}");
    }
}

/// <summary>Where a training loop reports progress (epochs and steps counted from 0).</summary>
internal interface ITrainingProgress
{
    /// <summary>Step <paramref name="step"/> of <paramref name="steps"/> in <paramref name="epoch"/> is done; <paramref name="status"/> says how it goes.</summary>
    void Step(int epoch, int step, int steps, string status);

    /// <summary>The epoch is done; <paramref name="summary"/> says how it went.</summary>
    void EpochDone(int epoch, string summary);
}
