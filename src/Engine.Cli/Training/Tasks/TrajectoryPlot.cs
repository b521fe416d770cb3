using ScottPlot;

namespace Engine.Cli.Training.Tasks;

/// <summary>
/// A learned trajectory against the true one as a PNG (ScottPlot), as torchdiffeq's <c>ode_demo.py</c> draws it: x and y
/// by t, the phase portrait, and the losses by batch (log scale).
/// </summary>
internal static class TrajectoryPlot
{
    /// <summary>Writes the plot to <paramref name="path"/> (through a temporary file, creating its folder); states are [times * 2] values, x then y.</summary>
    public static void Save(string path, string title, float[] times, float[] trueStates, float[] learnedStates, OdeNetHistory history)
    {
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        var byTime = multiplot.GetPlot(0);
        var phase = multiplot.AddPlot();
        var losses = multiplot.AddPlot();
        double[] t = [.. times.Select(v => (double)v)];
        var (trueX, trueY) = Components(trueStates);
        var (learnedX, learnedY) = Components(learnedStates);

        Line(byTime, t, trueX, "true x", Colors.Green, LinePattern.Solid);
        Line(byTime, t, trueY, "true y", Colors.Teal, LinePattern.Solid);
        Line(byTime, t, learnedX, "learned x", Colors.Blue, LinePattern.Dashed);
        Line(byTime, t, learnedY, "learned y", Colors.Magenta, LinePattern.Dashed);
        byTime.Title($"{title}: trajectories");
        byTime.XLabel("t");
        byTime.YLabel("x, y");
        byTime.ShowLegend(Alignment.UpperRight);

        Line(phase, trueX, trueY, "true", Colors.Green, LinePattern.Solid);
        Line(phase, learnedX, learnedY, "learned", Colors.Blue, LinePattern.Dashed);
        phase.Title("phase portrait");
        phase.XLabel("x");
        phase.YLabel("y");
        phase.Axes.SquareUnits();
        phase.ShowLegend(Alignment.UpperRight);

        double[] batches = [.. Enumerable.Range(1, history.BatchLosses.Count).Select(i => (double)i)];
        double[] batchLosses = [.. history.BatchLosses.Select(Math.Log10)];
        var batch = losses.Add.ScatterLine(batches, batchLosses);
        batch.LegendText = "batch (10-point windows)";
        batch.LineWidth = 1;
        batch.Color = Colors.Gray.WithAlpha(0.5);
        double[] epochEnds = [.. history.TrajectoryLosses.Select(p => (double)p.Batches)];
        double[] trajectoryLosses = [.. history.TrajectoryLosses.Select(p => Math.Log10(p.Loss))];
        var trajectory = losses.Add.Scatter(epochEnds, trajectoryLosses);
        trajectory.LegendText = "whole trajectory";
        trajectory.Color = Colors.Red;
        losses.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => $"{Math.Pow(10, exponent):G3}",
        };
        losses.Title("mean absolute error");
        losses.XLabel("batch");
        losses.YLabel("loss");
        losses.ShowLegend(Alignment.UpperRight);

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        string temporary = path + ".tmp.png";
        multiplot.SavePng(temporary, 1500, 500);
        File.Move(temporary, path, overwrite: true);
    }

    private static (double[] X, double[] Y) Components(float[] states) =>
        ([.. states.Where((_, i) => i % 2 == 0).Select(v => (double)v)], [.. states.Where((_, i) => i % 2 == 1).Select(v => (double)v)]);

    private static void Line(Plot plot, double[] xs, double[] ys, string label, Color color, LinePattern pattern)
    {
        var line = plot.Add.ScatterLine(xs, ys);
        line.LegendText = label;
        line.Color = color;
        line.LinePattern = pattern;
        line.LineWidth = 2;
    }
}
