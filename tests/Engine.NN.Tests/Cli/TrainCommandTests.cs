using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Engine.Cli.Training;
using Engine.NN.Checkpoints;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Cli;

/// <summary>
/// <c>engine train</c> end to end, in process: a run with a checkpoint and a plot, its resumption, a missing data folder; the
/// neural ODE of the main job (a few batches: its loss falls and its plot is written), on the CPU and on cuda:0.
/// </summary>
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
        AssertPng(plot);
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

    [Fact]
    public void TheSpiralsOdeNetLossFallsAndItsPlotIsWritten()
    {
        using var folder = new TemporaryFolder();
        string plot = Path.Combine(folder.Path, "out", "spiral.png");
        var (code, output) = Train("spirals-odenet", "--epochs", "3", "--max-batches", "50", "--plot", plot);
        Assert.True(code == 0, output);
        Assert.Contains("OdeBlock with 252 parameters on cpu", output);
        Assert.True(EpochLoss(output, 3) < 0.5 * EpochLoss(output, 1), output);
        Assert.Matches(@"final trajectory loss: \d+\.\d{4} \(mean \|learned - true\| over the 1000 points on \[0, 25\]\)", output);
        Assert.Contains($"plot written to {plot}", output);
        AssertPng(plot);
    }

    [Theory]
    [InlineData("adjoint")]
    [InlineData("Checkpointed")]
    public void TheSpiralsOdeNetTrainsWithTheOtherGradientMethods(string method)
    {
        using var folder = new TemporaryFolder();
        string plot = Path.Combine(folder.Path, "spiral.png");
        var (code, output) = Train("spirals-odenet", "--ode-gradient", method, "--epochs", "3", "--max-batches", "50", "--plot", plot);
        Assert.True(code == 0, output);
        Assert.Contains($"{char.ToUpperInvariant(method[0])}{method[1..].ToLowerInvariant()} gradients", output);
        Assert.Matches(@"\d+ \+ \d+ f evaluations per solve \(forward \+ backward\)", output);
        Assert.True(EpochLoss(output, 3) < 0.5 * EpochLoss(output, 1), output);
        AssertPng(plot);
    }

    [Fact]
    [Trait("Category", "Gpu")]
    public void TheSpiralsOdeNetTrainsOnTheCudaDevice()
    {
        if (!CudaDevices.IsAvailable) Assert.Skip("no CUDA device: set ENGINE_CUDA_EMULATOR=1 (./build.sh test does) to use the emulated device");
        using var folder = new TemporaryFolder();
        string plot = Path.Combine(folder.Path, "spiral.png");
        var (code, output) = Train("spirals-odenet", "--device", "auto", "--epochs", "2", "--max-batches", "5", "--plot", plot);
        Assert.True(code == 0, output);
        Assert.Contains("OdeBlock with 252 parameters on cuda:0", output);
        AssertPng(plot);
    }

    [Fact]
    public void TheSpiralsOdeNetRefusesWhatItDoesNotSupport()
    {
        var (code, output) = Train("spirals-odenet", "--checkpoint", "run.safetensors");
        Assert.Equal(1, code);
        Assert.Equal("spirals-odenet: --checkpoint and --resume are not supported by this task", output.Trim());
        (code, output) = Train("spirals-odenet", "--batch-size", "991");
        Assert.Equal(1, code);
        Assert.StartsWith("spirals-odenet: --epochs must be positive and --batch-size between 1 and 990", output);
        (code, output) = Train("spirals-mlp", "--ode-gradient", "adjoint");
        Assert.Equal(1, code);
        Assert.Equal("spirals-mlp: --ode-gradient applies only to a task that solves ODEs (spirals-odenet)", output.Trim());
        (code, output) = Train("spirals-odenet", "--ode-gradient", "backwards");
        Assert.NotEqual(0, code);
        Assert.Contains("backwards", output);
    }

    [Fact]
    public void ACudaDeviceThatIsNotThereIsRefusedBeforeTraining()
    {
        var (code, output) = Train("spirals-mlp", "--device", "cuda:7");
        Assert.NotEqual(0, code);
        Assert.Contains($"--device cuda:7: {CudaDevices.Count} CUDA devices are available (--device auto falls back to the CPU", output);
    }

    /// <summary>The mean batch loss of an epoch, from its "epoch N/M  done  batch loss X" line.</summary>
    private static double EpochLoss(string output, int epoch) =>
        double.Parse(Regex.Match(output, $@"epoch {epoch}/\d+  done  batch loss (\d+\.\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

    private static void AssertPng(string path)
    {
        var png = File.ReadAllBytes(path);
        Assert.True(png.Length > 10_000 && png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG was written");
    }
}

/// <summary>Tests that redirect the console run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "Console";
}
