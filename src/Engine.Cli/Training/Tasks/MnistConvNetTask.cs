using Engine.NN;
using Engine.NN.Data;
using Engine.Random;

namespace Engine.Cli.Training.Tasks;

/// <summary>The MNIST ConvNet on handwritten digits: Adam, cosine-annealed over the epochs.</summary>
internal sealed class MnistConvNetTask : ClassifierTask
{
    public override string Name => "mnist-convnet";
    public override string Description => "MnistConvNet on MNIST digits (DATA/mnist/*-ubyte[.gz]); Adam";
    public override TrainingDefaults Defaults { get; } = new(3, 64, 1e-3);

    public override TrainingSetup Create(TrainingRequest request) => ConvNetSetup.Create(request, Path.Combine(request.DataFolder, "mnist"), Normalization.Mnist);
}

/// <summary>The same ConvNet on Fashion-MNIST's clothing images.</summary>
internal sealed class FashionMnistConvNetTask : ClassifierTask
{
    public override string Name => "fashion-mnist-convnet";
    public override string Description => "MnistConvNet on Fashion-MNIST (DATA/fashion-mnist/*-ubyte[.gz]); Adam";
    public override TrainingDefaults Defaults { get; } = new(5, 64, 1e-3);

    public override TrainingSetup Create(TrainingRequest request) =>
        ConvNetSetup.Create(request, Path.Combine(request.DataFolder, "fashion-mnist"), Normalization.FashionMnist);
}

/// <summary>What the two MNIST-format tasks share.</summary>
internal static class ConvNetSetup
{
    public static TrainingSetup Create(TrainingRequest request, string folder, Normalization normalization)
    {
        var train = Mnist.Load(folder, train: true);
        var test = Mnist.Load(folder, train: false);
        var model = new MnistConvNet(generator: new Generator(request.Seed)).To(request.Device);
        var optimizer = new Adam(model.Parameters(), request.LearningRate);
        return new TrainingSetup(model, optimizer, new CosineAnnealingLR(optimizer, request.Epochs),
            new DataLoader(train, request.BatchSize, shuffle: true, seed: request.Seed, normalization: normalization, device: request.Device),
            new DataLoader(test, 1000, normalization: normalization, device: request.Device));
    }
}
