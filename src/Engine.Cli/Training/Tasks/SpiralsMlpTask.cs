using Engine.NN;
using Engine.NN.Data;
using Engine.Random;

namespace Engine.Cli.Training.Tasks;

/// <summary>A tanh MLP (2-64-64-2) separating two noisy spirals of 1.5 turns; Adam. Needs no data files.</summary>
internal sealed class SpiralsMlpTask : ClassifierTask
{
    public override string Name => "spirals-mlp";
    public override string Description => "2-64-64-2 tanh MLP on two synthetic spirals (no data files); Adam";
    public override TrainingDefaults Defaults { get; } = new(40, 64, 1e-2);

    public override TrainingSetup Create(TrainingRequest request)
    {
        var generator = new Generator(request.Seed);
        var model = new Sequential(
            new Linear(2, 64, generator: generator), new Tanh(),
            new Linear(64, 64, generator: generator), new Tanh(),
            new Linear(64, 2, generator: generator)).To(request.Device);
        var optimizer = new Adam(model.Parameters(), request.LearningRate);
        return new TrainingSetup(model, optimizer, new CosineAnnealingLR(optimizer, request.Epochs),
            new DataLoader(Synthetic.Spirals(2000, seed: request.Seed), request.BatchSize, shuffle: true, seed: request.Seed, device: request.Device),
            new DataLoader(Synthetic.Spirals(1000, seed: request.Seed + 1), 1000, device: request.Device));
    }
}
