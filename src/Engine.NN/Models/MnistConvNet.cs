using Engine.Random;

namespace Engine.NN;

/// <summary>
/// A small convolutional network for 28x28 grey images (MNIST, Fashion-MNIST): two stages of 3x3 convolution, batch
/// norm, ReLU and 2x2 max pooling (32 then 64 channels), then a 128-unit hidden layer with dropout and a linear
/// classifier. About 420k parameters. Dropout masks come from the thread's default generator (<see cref="Generator.ManualSeed"/>).
/// </summary>
public sealed class MnistConvNet : Module
{
    private readonly Sequential features, classifier;

    /// <summary>Creates the network with weights drawn from <paramref name="generator"/>; <paramref name="dropout"/> before the classifier.</summary>
    public MnistConvNet(int classes = 10, double dropout = 0.25, DType dtype = DType.F32, Generator? generator = null)
    {
        features = RegisterModule("features", new Sequential(
            new Conv2d(1, 32, 3, padding: 1, bias: false, dtype: dtype, generator: generator), new BatchNorm2d(32, dtype: dtype), new ReLU(), new MaxPool2d(2),
            new Conv2d(32, 64, 3, padding: 1, bias: false, dtype: dtype, generator: generator), new BatchNorm2d(64, dtype: dtype), new ReLU(), new MaxPool2d(2)));
        classifier = RegisterModule("classifier", new Sequential(
            new Flatten(), new Linear(64 * 7 * 7, 128, dtype: dtype, generator: generator), new ReLU(), new Dropout(dropout),
            new Linear(128, classes, dtype: dtype, generator: generator)));
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Size(1) != 1 || input.Size(2) != 28 || input.Size(3) != 28)
            throw new ArgumentException($"MnistConvNet: expected images [N, 1, 28, 28], got [{string.Join(", ", input.Shape)}]");
        return classifier.Forward(features.Forward(input));
    }
}
