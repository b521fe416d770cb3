using Engine.NN.Training;
using ScottPlot;

namespace Engine.Cli.Training;

/// <summary>Loss and accuracy curves of a run as a PNG (ScottPlot): batch loss by step with its running mean, and accuracy by epoch.</summary>
internal static class TrainingPlot
{
    public static void Save(string path, string title, TrainingHistory history)
    {
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        var loss = multiplot.GetPlot(0);
        var accuracy = multiplot.AddPlot();

        double[] steps = [.. Enumerable.Range(1, history.StepLosses.Count).Select(i => (double)i)];
        var batches = loss.Add.ScatterLine(steps, history.StepLosses.ToArray());
        batches.LegendText = "batch loss";
        batches.LineWidth = 1;
        batches.Color = batches.Color.WithAlpha(0.35);
        var smooth = loss.Add.ScatterLine(steps, RunningMean(history.StepLosses, 50));
        smooth.LegendText = "mean of the last 50";
        smooth.LineWidth = 2;
        loss.Title($"{title}: training loss");
        loss.XLabel("step");
        loss.YLabel("cross-entropy");
        loss.ShowLegend(Alignment.UpperRight);

        double[] epochs = [.. history.Epochs.Select(e => e.Epoch + 1.0)];
        var train = accuracy.Add.Scatter(epochs, [.. history.Epochs.Select(e => 100 * e.TrainAccuracy)]);
        train.LegendText = "training";
        if (history.Epochs.All(e => e.TestAccuracy is not null))
        {
            var test = accuracy.Add.Scatter(epochs, [.. history.Epochs.Select(e => 100 * e.TestAccuracy!.Value)]);
            test.LegendText = "test";
        }
        accuracy.Title($"{title}: accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        string temporary = path + ".tmp.png";
        multiplot.SavePng(temporary, 1400, 500);
        File.Move(temporary, path, overwrite: true);
    }

    private static double[] RunningMean(IReadOnlyList<double> values, int window)
    {
        var means = new double[values.Count];
        double sum = 0;
        for (int i = 0; i < values.Count; i++)
        {
            sum += values[i];
            if (i >= window) sum -= values[i - window];
            means[i] = sum / Math.Min(i + 1, window);
        }
        return means;
    }
}
