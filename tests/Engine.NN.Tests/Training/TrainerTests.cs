using Engine.NN.Data;
using Engine.NN.Tests.Support;
using Engine.NN.Training;
using Engine.Random;
using Xunit;

namespace Engine.NN.Tests.Training;

/// <summary>Short training runs: the loss falls, and a run resumed from a checkpoint continues the same loss curve bit for bit.</summary>
public class TrainerTests
{
    [Fact]
    public void SpiralsMlpLossFallsWithinAFewEpochs()
    {
        var train = new DataLoader(Synthetic.Spirals(512, turns: 1, seed: 1), 32, shuffle: true, seed: 2);
        var test = new DataLoader(Synthetic.Spirals(256, turns: 1, seed: 3), 256);
        var g = new Generator(4);
        using var model = new Sequential(new Linear(2, 64, generator: g), new Tanh(), new Linear(64, 64, generator: g), new Tanh(), new Linear(64, 2, generator: g));
        using var optimizer = new Adam(model.Parameters(), 0.01);
        var trainer = new Trainer(model, optimizer, train, test, seed: 5);
        trainer.Run(8);
        var epochs = trainer.History.Epochs;
        Assert.Equal(8, epochs.Count);
        Assert.True(epochs[^1].TrainLoss < 0.6 * epochs[0].TrainLoss, $"train loss {epochs[0].TrainLoss} -> {epochs[^1].TrainLoss}");
        Assert.True(epochs[^1].TestAccuracy > 0.75, $"test accuracy {epochs[^1].TestAccuracy}");
        Assert.Equal(8 * 16, trainer.History.StepLosses.Count);
    }

    [Fact]
    public void ConvNetOnAFewBatchesOfRealMnistLowersItsLoss()
    {
        var data = Mnist.Load(TestData.RequireFolder("mnist"), train: true);
        var loader = new DataLoader(data, 32, shuffle: true, seed: 1, normalization: Normalization.Mnist);
        using var model = new MnistConvNet(generator: new Generator(2));
        using var optimizer = new Adam(model.Parameters(), 2e-3);
        var trainer = new Trainer(model, optimizer, loader, seed: 3) { MaxBatchesPerEpoch = 30 };
        trainer.Run(1);
        var losses = trainer.History.StepLosses;
        Assert.Equal(30, losses.Count);
        double first = losses.Take(5).Average(), last = losses.TakeLast(5).Average();
        Assert.True(last < 0.7 * first, $"mean loss of the first 5 batches {first}, of the last 5 {last}");
    }

    /// <summary>
    /// Two epochs straight, against one epoch, a checkpoint, fresh objects (other initial weights) restored from it, and
    /// the second epoch: the same per-step losses and the same final weights, exactly. The model has batch norm
    /// (running statistics) and dropout (per-step seeded masks); the optimizer has momentum state and a schedule.
    /// </summary>
    [Theory]
    [InlineData("sgd")]
    [InlineData("adamw")]
    public void AResumedRunContinuesTheSameLossCurve(string optimizerName)
    {
        using var folder = new TemporaryFolder();
        string checkpoint = Path.Combine(folder.Path, "run.safetensors");
        var data = TestData.RandomImages(96, 7);
        (Trainer, IDisposable) Setup(ulong initSeed)
        {
            var model = new MnistConvNet(dropout: 0.3, generator: new Generator(initSeed));
            Optimizer optimizer = optimizerName == "sgd"
                ? new Sgd(model.Parameters(), 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-4)
                : new AdamW(model.Parameters(), 3e-3);
            var schedule = new WarmupLR(new CosineAnnealingLR(optimizer, 4), 1);
            var loader = new DataLoader(data, 16, shuffle: true, seed: 11, normalization: Normalization.Mnist);
            var trainer = new Trainer(model, optimizer, loader, scheduler: schedule, seed: 12) { MaxBatchesPerEpoch = 4 };
            return (trainer, new Disposer(model, optimizer));
        }

        var (straight, ownStraight) = Setup(1);
        Dictionary<string, double[]> straightState;
        double straightRate;
        using (ownStraight)
        {
            straight.Run(2);
            straightState = straight.Model.StateDict().ToDictionary(s => s.Key, s => s.Value.ToArray<double>());
            straightRate = straight.Optimizer.LearningRate;
        }

        var (first, ownFirst) = Setup(1);
        using (ownFirst)
        {
            first.Run(1, checkpointPath: checkpoint);
            Assert.True(File.Exists(checkpoint));
        }
        var (resumed, ownResumed) = Setup(2);
        using (ownResumed)
        {
            resumed.LoadCheckpoint(checkpoint);
            Assert.Equal(1, resumed.CompletedEpochs);
            Assert.Equal(4, resumed.GlobalStep);
            resumed.Run(2);
            Assert.Equal(straight.History.StepLosses, resumed.History.StepLosses);
            Assert.Equal(straightRate, resumed.Optimizer.LearningRate);
            foreach (var (name, actual) in resumed.Model.StateDict())
                Assert.True(straightState[name].SequenceEqual(actual.ToArray<double>()), $"{name} differs after resuming");
        }
    }

    [Fact]
    public void LoadingACheckpointOfAnotherModelFailsWithTheMismatch()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "mlp.safetensors");
        var loader = new DataLoader(Synthetic.Moons(64, seed: 1), 32);
        using (var small = new Sequential(new Linear(2, 8), new Tanh(), new Linear(8, 2)))
        using (var adam = new Adam(small.Parameters()))
            new Trainer(small, adam, loader).Run(1, checkpointPath: path);
        using var wide = new Sequential(new Linear(2, 16), new Tanh(), new Linear(16, 2));
        using var sgd = new Sgd(wide.Parameters(), 0.1);
        var error = Assert.Throws<InvalidDataException>(() => new Trainer(wide, sgd, loader).LoadCheckpoint(path));
        Assert.Contains("0.weight: shape [8, 2] in the state, [16, 2] in the module", error.Message);
    }

    private sealed class Disposer(params IDisposable[] owned) : IDisposable
    {
        public void Dispose()
        {
            foreach (var d in owned) d.Dispose();
        }
    }
}
