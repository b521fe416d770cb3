namespace Engine.NN.Data;

/// <summary>Float feature vectors with labels, e.g. the synthetic 2-D sets.</summary>
public sealed class ArrayDataset : IDataset
{
    private readonly float[] features;
    private readonly int[] labels;
    private readonly int width;

    /// <summary>Wraps <paramref name="features"/> (N x width, row-major) and <paramref name="labels"/> in [0, classCount).</summary>
    public ArrayDataset(float[] features, int[] labels, int width, int classCount)
    {
        if (width <= 0 || features.Length != labels.Length * width)
            throw new ArgumentException($"ArrayDataset: {features.Length} values are not {labels.Length} rows of {width}");
        if (labels.Any(l => l < 0 || l >= classCount))
            throw new ArgumentException($"ArrayDataset: a label is outside [0, {classCount})");
        this.features = features;
        this.labels = labels;
        this.width = width;
        ClassCount = classCount;
    }

    /// <inheritdoc />
    public int Count => labels.Length;

    /// <inheritdoc />
    public int[] SampleShape => [width];

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public int Label(int index) => labels[index];

    /// <inheritdoc />
    public void CopySample(int index, Span<float> destination) => features.AsSpan(index * width, width).CopyTo(destination);
}
