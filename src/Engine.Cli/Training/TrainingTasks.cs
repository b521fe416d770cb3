using Engine.Cli.Training.Tasks;

namespace Engine.Cli.Training;

/// <summary>The tasks <c>engine train</c> knows.</summary>
internal static class TrainingTasks
{
    public static IReadOnlyList<ITrainingTask> All { get; } =
    [
        new MnistConvNetTask(),
        new FashionMnistConvNetTask(),
        new Cifar10ResNet20Task(),
        new SpiralsMlpTask(),
        new SpiralsOdeNetTask(),
    ];

    public static ITrainingTask? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
