namespace Engine.NN.Data;

/// <summary>One mini-batch: inputs [B, ...sample shape] and I64 labels [B], owned by the loader.</summary>
public sealed class Batch : IDisposable
{
    internal Batch(int index, Tensor inputs, Tensor labels)
    {
        Index = index;
        Inputs = inputs.DetachFromScopes();
        Labels = labels.DetachFromScopes();
    }

    /// <summary>Position of the batch in its epoch.</summary>
    public int Index { get; }

    /// <summary>[B, ...sample shape].</summary>
    public Tensor Inputs { get; }

    /// <summary>Class indices [B], I64.</summary>
    public Tensor Labels { get; }

    /// <summary>Samples in the batch.</summary>
    public int Size => Labels.Size(0);

    /// <summary>Frees the batch's tensors.</summary>
    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
    }
}

/// <summary>
/// Mini-batches of a data set, like <c>torch.utils.data.DataLoader</c>: seeded shuffling, batching, augmentation and
/// normalisation. The order of epoch e and every random choice of sample i in it depend only on (seed, e, i), so an
/// epoch is the same however training got there (resumed or not). While one batch is in use, the next is assembled on
/// a background thread. A batch stays valid until the next one is requested (the loader disposes it then).
/// </summary>
public sealed class DataLoader
{
    private readonly IDataset dataset;
    private readonly int sampleSize;

    /// <summary>Creates a loader for <paramref name="dataset"/>.</summary>
    public DataLoader(IDataset dataset, int batchSize, bool shuffle = false, ulong seed = 0, bool dropLast = false,
        Normalization? normalization = null, Augmentation? augmentation = null, DType dtype = DType.F32, Device? device = null, bool prefetch = true)
    {
        if (batchSize <= 0) throw new ArgumentException($"DataLoader: batch size must be positive, got {batchSize}");
        if (!dtype.IsFloating()) throw new ArgumentException($"DataLoader: inputs must be F32 or F64, got {dtype}");
        this.dataset = dataset;
        sampleSize = dataset.SampleShape.Aggregate(1, (n, d) => n * d);
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Normalization = normalization;
        Augmentation = augmentation;
        DType = dtype;
        Device = device ?? Device.Cpu;
        Prefetch = prefetch;
    }

    /// <summary>Samples per batch (the last batch may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch visits the samples in a seeded random order.</summary>
    public bool Shuffle { get; }
    /// <summary>Seed of the order and the augmentation.</summary>
    public ulong Seed { get; }
    /// <summary>Whether an incomplete last batch is left out.</summary>
    public bool DropLast { get; }
    /// <summary>Applied to every sample after augmentation; none when null.</summary>
    public Normalization? Normalization { get; }
    /// <summary>Random crops and flips; none when null.</summary>
    public Augmentation? Augmentation { get; }
    /// <summary>Dtype of the inputs.</summary>
    public DType DType { get; }
    /// <summary>Device of the batches.</summary>
    public Device Device { get; }
    /// <summary>Whether the next batch is assembled in the background.</summary>
    public bool Prefetch { get; }

    /// <summary>The data set.</summary>
    public IDataset Dataset => dataset;

    /// <summary>Batches per epoch.</summary>
    public int BatchCount => DropLast ? dataset.Count / BatchSize : (dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>The batches of epoch <paramref name="epoch"/> (from 0), in order; each is disposed when the next is requested.</summary>
    public IEnumerable<Batch> Epoch(int epoch)
    {
        var order = Shuffle ? new SplitMix64(SplitMix64.Mix(Seed, (ulong)epoch)).Permutation(dataset.Count) : [.. Enumerable.Range(0, dataset.Count)];
        int count = BatchCount;
        Task<(float[] Inputs, long[] Labels)>? next = count > 0 ? Start(order, epoch, 0) : null;
        Batch? current = null;
        try
        {
            for (int b = 0; b < count; b++)
            {
                var (inputs, labels) = next!.GetAwaiter().GetResult();
                next = b + 1 < count ? Start(order, epoch, b + 1) : null;
                current?.Dispose();
                current = ToBatch(b, inputs, labels);
                yield return current;
            }
        }
        finally
        {
            current?.Dispose();
            // A prefetch still running when the caller stops early is waited for, so no thread outlives the epoch.
            try { next?.Wait(); } catch (AggregateException) { }
        }
    }

    private Task<(float[], long[])> Start(int[] order, int epoch, int batch) =>
        Prefetch ? Task.Run(() => Assemble(order, epoch, batch)) : Task.FromResult(Assemble(order, epoch, batch));

    /// <summary>The host arrays of one batch: samples copied, augmented and normalised.</summary>
    private (float[], long[]) Assemble(int[] order, int epoch, int batch)
    {
        int first = batch * BatchSize, size = Math.Min(BatchSize, order.Length - first);
        var inputs = new float[size * sampleSize];
        var labels = new long[size];
        var scratch = Augmentation is null ? [] : new float[sampleSize];
        for (int j = 0; j < size; j++)
        {
            int position = first + j, index = order[position];
            var sample = inputs.AsSpan(j * sampleSize, sampleSize);
            dataset.CopySample(index, sample);
            labels[j] = dataset.Label(index);
            if (Augmentation is not null)
            {
                var random = new SplitMix64(SplitMix64.Mix(Seed, (ulong)epoch, (ulong)position));
                Augmentation.Apply(sample, dataset.SampleShape, ref random, scratch);
            }
            Normalization?.Apply(sample);
        }
        return (inputs, labels);
    }

    private Batch ToBatch(int index, float[] inputs, long[] labels)
    {
        int[] shape = [labels.Length, .. dataset.SampleShape];
        var x = Tensor.From(inputs, shape, Device);
        if (DType == DType.F64)
        {
            var converted = x.To(DType.F64);
            x.Dispose();
            x = converted;
        }
        return new Batch(index, x, Tensor.From(labels, [labels.Length], Device));
    }
}
