using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Engine.Autodiff;
using Engine.NN.Checkpoints;
using Engine.NN.Data;
using Engine.Random;

namespace Engine.NN.Training;

/// <summary>
/// Trains a classifier with cross-entropy: for each batch, forward, backward, optional gradient clipping and an
/// optimizer step, inside one <see cref="TensorScope"/>; the scheduler steps once per epoch. Runs are reproducible:
/// the loaders' order and augmentation depend on (seed, epoch, sample), and before step s the thread's default
/// <see cref="Generator"/> (which dropout uses) is seeded from (seed, s). A checkpoint holds the model, the optimizer
/// state, the schedule position and the history, so a resumed run continues the same loss curve bit for bit.
/// </summary>
public sealed class Trainer
{
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Sets up training of <paramref name="model"/> on <paramref name="train"/>, evaluating on <paramref name="test"/> after each epoch.</summary>
    public Trainer(Module model, Optimizer optimizer, DataLoader train, DataLoader? test = null, LrScheduler? scheduler = null, ulong seed = 0)
    {
        Model = model;
        Optimizer = optimizer;
        Train = train;
        Test = test;
        Scheduler = scheduler;
        Seed = seed;
    }

    /// <summary>The model being trained.</summary>
    public Module Model { get; }
    /// <summary>Its optimizer.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>Training batches.</summary>
    public DataLoader Train { get; }
    /// <summary>Test batches, if any.</summary>
    public DataLoader? Test { get; }
    /// <summary>Stepped once per epoch, if any.</summary>
    public LrScheduler? Scheduler { get; }
    /// <summary>Seeds the per-step generator.</summary>
    public ulong Seed { get; }

    /// <summary>Clip gradients to this global norm before each step; no clipping when null.</summary>
    public double? ClipGradNorm { get; init; }

    /// <summary>Stop each epoch after this many batches (for smoke tests and quick looks); all batches when null.</summary>
    public int? MaxBatchesPerEpoch { get; init; }

    /// <summary>Epochs completed.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>Optimisation steps taken.</summary>
    public long GlobalStep { get; private set; }

    /// <summary>What the run recorded so far (restored with a checkpoint).</summary>
    public TrainingHistory History { get; private set; } = new();

    /// <summary>
    /// Trains until <paramref name="epochs"/> epochs are complete in total (a resumed run continues from
    /// <see cref="CompletedEpochs"/>), reporting each step and epoch, and saving a checkpoint to
    /// <paramref name="checkpointPath"/> after every epoch when given.
    /// </summary>
    public void Run(int epochs, Action<StepResult>? onStep = null, Action<EpochResult>? onEpoch = null, string? checkpointPath = null)
    {
        while (CompletedEpochs < epochs)
        {
            var result = RunEpoch(CompletedEpochs, onStep);
            CompletedEpochs++;
            Scheduler?.Step();
            History.Epochs.Add(result);
            if (checkpointPath is not null) SaveCheckpoint(checkpointPath);
            onEpoch?.Invoke(result);
        }
    }

    private EpochResult RunEpoch(int epoch, Action<StepResult>? onStep)
    {
        Model.Train();
        int batches = Math.Min(Train.BatchCount, MaxBatchesPerEpoch ?? int.MaxValue);
        double lossSum = 0, correct = 0;
        long samples = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in Train.Epoch(epoch))
        {
            if (batch.Index >= batches) break;
            Generator.ManualSeed(SplitMix64.Mix(Seed, (ulong)GlobalStep));
            var (loss, hits) = Step(batch);
            GlobalStep++;
            lossSum += loss * batch.Size;
            correct += hits;
            samples += batch.Size;
            var step = new StepResult(epoch, batch.Index, batches, GlobalStep, loss, (double)hits / batch.Size,
                lossSum / samples, correct / samples, samples / clock.Elapsed.TotalSeconds, Optimizer.LearningRate);
            History.StepLosses.Add(loss);
            History.StepAccuracies.Add(step.Accuracy);
            onStep?.Invoke(step);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var test = Test is null ? null : Evaluate(Test);
        return new EpochResult(epoch, lossSum / samples, correct / samples, test?.Loss, test?.Accuracy, samples / seconds, seconds);
    }

    /// <summary>One optimisation step on <paramref name="batch"/>: (loss, number of correct predictions).</summary>
    private (double Loss, long Correct) Step(Batch batch)
    {
        using var scope = TensorScope.Begin();
        using var tape = Tape.Record();
        var logits = Model.Forward(batch.Inputs);
        var loss = Functional.CrossEntropy(logits, batch.Labels);
        tape.Backward(loss);
        if (ClipGradNorm is { } maxNorm) GradientClipping.ClipGradNorm(Model.Parameters(), maxNorm);
        Optimizer.Step();
        Optimizer.ZeroGrad();
        return (loss.Item<double>(), Correct(logits, batch.Labels));
    }

    /// <summary>Mean loss and accuracy of the model in evaluation mode over <paramref name="loader"/>; restores the training mode.</summary>
    public Evaluation Evaluate(DataLoader loader)
    {
        bool training = Model.Training;
        Model.Eval();
        using var noGrad = Tape.NoGrad();
        double lossSum = 0;
        long correct = 0, samples = 0;
        foreach (var batch in loader.Epoch(0))
        {
            using var scope = TensorScope.Begin();
            var logits = Model.Forward(batch.Inputs);
            lossSum += Functional.CrossEntropy(logits, batch.Labels).Item<double>() * batch.Size;
            correct += Correct(logits, batch.Labels);
            samples += batch.Size;
        }
        Model.Train(training);
        return new Evaluation(lossSum / samples, (double)correct / samples, (int)samples);
    }

    private static long Correct(Tensor logits, Tensor labels)
    {
        using var scope = TensorScope.Begin();
        return logits.ArgMax(1).Eq(labels).Sum().Item<long>();
    }

    /// <summary>
    /// Writes a safetensors checkpoint: the model's state under its own names (loadable into the same model in
    /// PyTorch), the optimizer state under <c>optimizer.</c>, and the progress and history as metadata.
    /// </summary>
    public void SaveCheckpoint(string path)
    {
        var optimizerState = Optimizer.StateDict();
        try
        {
            var tensors = Model.StateDict().Concat(optimizerState.Select(s => KeyValuePair.Create(OptimizerPrefix + s.Key, s.Value)));
            var metadata = new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["completed_epochs"] = CompletedEpochs.ToString(CultureInfo.InvariantCulture),
                ["global_step"] = GlobalStep.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = Optimizer.LearningRate.ToString("R", CultureInfo.InvariantCulture),
                ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
                ["history"] = JsonSerializer.Serialize(History),
            };
            SafeTensors.Save(path, tensors, metadata);
        }
        finally
        {
            foreach (var t in optimizerState.Values) t.Dispose();
        }
    }

    /// <summary>Restores a checkpoint written by <see cref="SaveCheckpoint"/> into this trainer's model, optimizer and schedule.</summary>
    public void LoadCheckpoint(string path)
    {
        using var file = SafeTensors.Load(path);
        try
        {
            var model = file.Tensors.Where(t => !t.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary();
            var optimizer = file.Tensors.Where(t => t.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                .ToDictionary(t => t.Key[OptimizerPrefix.Length..], t => t.Value);
            Model.LoadStateDict(model);
            Optimizer.LoadStateDict(optimizer);
            CompletedEpochs = int.Parse(Required(file, "completed_epochs"), CultureInfo.InvariantCulture);
            GlobalStep = long.Parse(Required(file, "global_step"), CultureInfo.InvariantCulture);
            History = JsonSerializer.Deserialize<TrainingHistory>(Required(file, "history")) ?? new TrainingHistory();
            if (Scheduler is not null) Scheduler.Resume(CompletedEpochs);
            else Optimizer.LearningRate = double.Parse(Required(file, "learning_rate"), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException)
        {
            throw new InvalidDataException($"{path}: not a checkpoint of this training setup: {e.Message}", e);
        }
    }

    private static string Required(TensorFile file, string key) =>
        file.Metadata.TryGetValue(key, out var value) ? value : throw new FormatException($"the metadata has no '{key}'");
}
