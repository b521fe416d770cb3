namespace Engine.NN.Data;

/// <summary>A labelled classification data set held in host memory, read sample by sample by a <see cref="DataLoader"/>.</summary>
public interface IDataset
{
    /// <summary>Number of samples.</summary>
    int Count { get; }

    /// <summary>Shape of one sample: [C, H, W] for images, [features] for vectors.</summary>
    int[] SampleShape { get; }

    /// <summary>Number of classes; labels lie in [0, ClassCount).</summary>
    int ClassCount { get; }

    /// <summary>The label of sample <paramref name="index"/>.</summary>
    int Label(int index);

    /// <summary>Writes sample <paramref name="index"/> (row-major, as floats: pixels in [0, 1]) into <paramref name="destination"/>.</summary>
    void CopySample(int index, Span<float> destination);
}
