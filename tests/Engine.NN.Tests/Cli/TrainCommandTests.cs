using System.CommandLine;
using Engine.Cli.Training;
using Engine.NN.Checkpoints;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Cli;

/// <summary><c>engine train</c> end to end, in process: a run with a checkpoint and a plot, its resumption, and a missing data folder.</summary>
[Collection(ConsoleCollection.Name)]
public class TrainCommandTests
{
    private static (int ExitCode, string Output) Train(params string[] args)
    {
        var output = new StringWriter();
        var (standard, error) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            int code = new RootCommand { TrainCommand.Create() }.Parse(["train", .. args]).Invoke();
            return (code, output.ToString());
        }
        finally
        {
            Console.SetOut(standard);
            Console.SetError(error);
        }
    }

    [Fact]
    public void TrainsWritesACheckpointAndAPlotThenResumes()
    {
        using var folder = new TemporaryFolder();
        string checkpoint = Path.Combine(folder.Path, "spirals.safetensors"), plot = Path.Combine(folder.Path, "curves.png");
        var (code, output) = Train("spirals-mlp", "--epochs", "2", "--max-batches", "6", "--checkpoint", checkpoint, "--plot", plot);
        Assert.True(code == 0, output);
        Assert.Contains("epoch 2/2  done", output);
        Assert.Matches(@"test accuracy: \d+\.\d\d%", output);
        var png = File.ReadAllBytes(plot);
        Assert.True(png.Length > 10_000 && png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG was written");
        using (var file = SafeTensors.Load(checkpoint))
        {
            Assert.Equal("2", file.Metadata["completed_epochs"]);
            Assert.Equal("12", file.Metadata["global_step"]);
            Assert.Contains("0.weight", file.Tensors.Keys);
            Assert.Contains("optimizer.state.0.exp_avg", file.Tensors.Keys);
        }
        (code, output) = Train("spirals-mlp", "--epochs", "3", "--max-batches", "6", "--resume", checkpoint, "--checkpoint", checkpoint);
        Assert.True(code == 0, output);
        Assert.Contains("resumed from", output);
        Assert.DoesNotContain("epoch 2/3  done", output);
        Assert.Contains("epoch 3/3  done", output);
        using (var file = SafeTensors.Load(checkpoint)) Assert.Equal("18", file.Metadata["global_step"]);
    }

    [Fact]
    public void AMissingDataFolderOrCheckpointIsReportedWithoutAStackTrace()
    {
        var (code, output) = Train("mnist-convnet", "--data", "/nonexistent/data", "--epochs", "1");
        Assert.Equal(1, code);
        Assert.StartsWith("mnist-convnet: ", output);
        Assert.Contains("/nonexistent/data/mnist", output);
        (code, output) = Train("spirals-mlp", "--resume", "/nonexistent/run.safetensors");
        Assert.Equal(1, code);
        Assert.StartsWith("spirals-mlp: SafeTensors: /nonexistent/run.safetensors does not exist", output);
    }
}

/// <summary>Tests that redirect the console run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
