using FsCheck;
using FsCheck.Fluent;

namespace Engine.Tests.Conv;

/// <summary>Random small convolutions for the gradient properties: shapes, kernel, stride, padding, dilation, groups.</summary>
internal static class ConvGen
{
    /// <summary>An input shape [N, C, H, W], a weight shape [K, C / groups, R, S] and hyper-parameters with a non-empty output.</summary>
    public static Gen<(int[] Input, int[] Weight, ConvParams Params)> Conv2d { get; } =
        from groups in Gen.Elements(1, 1, 2)
        from channelsPerGroup in Gen.Choose(1, 2)
        from outPerGroup in Gen.Choose(1, 2)
        from batch in Gen.Choose(1, 2)
        from kernel in Pair(1, 3)
        from stride in Pair(1, 2)
        from dilation in Pair(1, 2)
        from padding in Pair(0, 2)
        from height in Gen.Choose(1, 5)
        from width in Gen.Choose(1, 5)
        where height + 2 * padding.Height >= dilation.Height * (kernel.Height - 1) + 1
           && width + 2 * padding.Width >= dilation.Width * (kernel.Width - 1) + 1
        select ((int[])[batch, groups * channelsPerGroup, height, width], (int[])[groups * outPerGroup, channelsPerGroup, kernel.Height, kernel.Width],
            new ConvParams(stride, padding, dilation, groups));

    /// <summary>A size with each side in [min, max].</summary>
    public static Gen<Size2d> Pair(int min, int max) =>
        from height in Gen.Choose(min, max)
        from width in Gen.Elements(height, height, min, max)
        select new Size2d(height, width);
}
