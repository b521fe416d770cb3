namespace Engine.NN.Data;

/// <summary>Images of unsigned bytes [N, C, H, W] with labels, read as floats in [0, 1] (byte / 255).</summary>
public sealed class ImageDataset : IDataset
{
    private readonly byte[] pixels;
    private readonly byte[] labels;
    private readonly int sampleSize;

    /// <summary>Wraps <paramref name="pixels"/> (N C H W bytes, sample-major) and <paramref name="labels"/>; checks sizes and label range.</summary>
    public ImageDataset(byte[] pixels, byte[] labels, int channels, int height, int width, int classCount, string source)
    {
        sampleSize = channels * height * width;
        if (pixels.Length != labels.Length * sampleSize)
            throw new InvalidDataException($"{source}: {pixels.Length} pixel bytes do not hold {labels.Length} images of {channels}x{height}x{width}");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] >= classCount)
                throw new InvalidDataException($"{source}: label {labels[i]} of sample {i} is out of range [0, {classCount})");
        this.pixels = pixels;
        this.labels = labels;
        SampleShape = [channels, height, width];
        ClassCount = classCount;
        Source = source;
    }

    /// <summary>Where the data came from (for messages).</summary>
    public string Source { get; }

    /// <inheritdoc />
    public int Count => labels.Length;

    /// <inheritdoc />
    public int[] SampleShape { get; }

    /// <inheritdoc />
    public int ClassCount { get; }

    /// <inheritdoc />
    public int Label(int index) => labels[index];

    /// <summary>The raw bytes of sample <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> Pixels(int index) => pixels.AsSpan(index * sampleSize, sampleSize);

    /// <inheritdoc />
    public void CopySample(int index, Span<float> destination)
    {
        var source = Pixels(index);
        for (int i = 0; i < source.Length; i++) destination[i] = source[i] * (1f / 255);
    }
}
