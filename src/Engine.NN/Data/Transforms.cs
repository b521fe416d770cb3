namespace Engine.NN.Data;

/// <summary>Per-channel (x - mean) / std, applied by the <see cref="DataLoader"/> after augmentation, like torchvision's <c>Normalize</c>.</summary>
public sealed record Normalization(float[] Mean, float[] Std)
{
    /// <summary>MNIST's pixel mean and standard deviation.</summary>
    public static Normalization Mnist { get; } = new([0.1307f], [0.3081f]);

    /// <summary>Fashion-MNIST's pixel mean and standard deviation.</summary>
    public static Normalization FashionMnist { get; } = new([0.2860f], [0.3530f]);

    /// <summary>CIFAR-10's per-channel mean and standard deviation (training set).</summary>
    public static Normalization Cifar10 { get; } = new([0.4914f, 0.4822f, 0.4465f], [0.2470f, 0.2435f, 0.2616f]);

    /// <summary>Normalises one sample [C, ...] in place.</summary>
    public void Apply(Span<float> sample)
    {
        int channels = Mean.Length, plane = sample.Length / channels;
        if (Std.Length != channels || plane * channels != sample.Length)
            throw new ArgumentException($"Normalization: {Mean.Length} means and {Std.Length} deviations do not fit a sample of {sample.Length} values");
        for (int c = 0; c < channels; c++)
        {
            float mean = Mean[c], scale = 1 / Std[c];
            foreach (ref float v in sample.Slice(c * plane, plane)) v = (v - mean) * scale;
        }
    }
}

/// <summary>
/// Random augmentation of images [C, H, W]: a random crop of the original size from the image zero-padded by
/// <see cref="CropPadding"/> on each side, then a horizontal flip with probability 1/2 when <see cref="HorizontalFlip"/>
/// (torchvision's <c>RandomCrop(size, padding)</c> and <c>RandomHorizontalFlip()</c>).
/// </summary>
public sealed record Augmentation(int CropPadding = 0, bool HorizontalFlip = false)
{
    /// <summary>The standard CIFAR augmentation: 4-pixel padded crops and flips.</summary>
    public static Augmentation Cifar { get; } = new(4, true);

    /// <summary>Augments one sample in place, drawing from <paramref name="random"/>; <paramref name="scratch"/> has the sample's size.</summary>
    internal void Apply(Span<float> sample, int[] shape, ref SplitMix64 random, Span<float> scratch)
    {
        if (shape.Length != 3) throw new ArgumentException($"Augmentation: expected image samples [C, H, W], got [{string.Join(", ", shape)}]");
        int channels = shape[0], height = shape[1], width = shape[2];
        int dy = CropPadding > 0 ? random.NextInt(2 * CropPadding + 1) - CropPadding : 0;
        int dx = CropPadding > 0 ? random.NextInt(2 * CropPadding + 1) - CropPadding : 0;
        bool flip = HorizontalFlip && random.NextInt(2) == 1;
        if (dy == 0 && dx == 0 && !flip) return;
        sample.CopyTo(scratch);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    int row = i + dy, column = (flip ? width - 1 - j : j) + dx;
                    sample[(c * height + i) * width + j] = row >= 0 && row < height && column >= 0 && column < width
                        ? scratch[(c * height + row) * width + column] : 0;
                }
    }
}
