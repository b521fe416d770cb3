using Engine.NN;
using Engine.NN.Data;
using Engine.Random;

namespace Engine.Cli.Training.Tasks;

/// <summary>
/// ResNet-20 on CIFAR-10 as He et al. train it: SGD with Nesterov momentum 0.9, weight decay 1e-4, learning rate
/// divided by 10 at half and three quarters of the epochs, random 4-pixel crops and flips.
/// </summary>
internal sealed class Cifar10ResNet20Task : ClassifierTask
{
    public override string Name => "cifar10-resnet20";
    public override string Description => "ResNet-20 on CIFAR-10 (binary version in DATA/cifar-10-batches-bin); SGD, crops and flips";
    public override TrainingDefaults Defaults { get; } = new(30, 128, 0.1);

    public override TrainingSetup Create(TrainingRequest request)
    {
        var train = Cifar10.Load(request.DataFolder, train: true);
        var test = Cifar10.Load(request.DataFolder, train: false);
        var model = ResNet.Cifar(20, generator: new Generator(request.Seed)).To(request.Device);
        var optimizer = new Sgd(model.Parameters(), request.LearningRate, momentum: 0.9, weightDecay: 1e-4, nesterov: true);
        var schedule = new MultiStepLR(optimizer, [request.Epochs / 2, request.Epochs * 3 / 4]);
        return new TrainingSetup(model, optimizer, schedule,
            new DataLoader(train, request.BatchSize, shuffle: true, seed: request.Seed, normalization: Normalization.Cifar10,
                augmentation: Augmentation.Cifar, device: request.Device),
            new DataLoader(test, 500, normalization: Normalization.Cifar10, device: request.Device));
    }
}
