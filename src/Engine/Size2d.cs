namespace Engine;

/// <summary>
/// A height and width, for the kernel sizes, strides, paddings and dilations of 2-D convolutions and pools
/// (PyTorch's <c>int or (int, int)</c> arguments). An <c>int</c> converts to a square size, a tuple to (height, width).
/// </summary>
public readonly record struct Size2d(int Height, int Width)
{
    /// <summary>The same value for height and width.</summary>
    public static implicit operator Size2d(int both) => new(both, both);

    /// <summary>(height, width).</summary>
    public static implicit operator Size2d((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>Renders as <c>(h, w)</c>.</summary>
    public override string ToString() => $"({Height}, {Width})";
}
