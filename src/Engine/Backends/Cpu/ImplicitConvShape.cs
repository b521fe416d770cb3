using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// One grouped convolution as the CPU kernels see it: y[n, g M + m, p, q] = sum over c &lt; Cg, r &lt; R, s &lt; S of
/// a_g[m, (c R + r) S + s] * x[n, g Cg + c, p sh - padTop + r dh, q sw - padLeft + s dw], reading zeros outside x.
/// The forward convolution is one such map; the stride-1 transposed convolution is another (over the output
/// gradient, with the kernel flipped and the padding <c>dilation (R - 1) - padding</c>, which may be negative).
/// </summary>
internal readonly record struct ImplicitConvShape(
    int Batch, int Groups, int InChannelsPerGroup, int Height, int Width,
    int OutChannelsPerGroup, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int DilationHeight, int DilationWidth, int PadTop, int PadLeft,
    int OutHeight, int OutWidth)
{
    /// <summary>Length of the reduction: Cg R S.</summary>
    public int Depth => InChannelsPerGroup * KernelHeight * KernelWidth;

    public int InChannels => Groups * InChannelsPerGroup;
    public int OutChannels => Groups * OutChannelsPerGroup;
    public int Pixels => OutHeight * OutWidth;

    /// <summary>Rows of the zero-padded copy of an input plane: exactly the rows the windows reach.</summary>
    public int PaddedHeight => (OutHeight - 1) * StrideHeight + (KernelHeight - 1) * DilationHeight + 1;

    /// <summary>Columns of the zero-padded copy of an input plane.</summary>
    public int PaddedWidth => (OutWidth - 1) * StrideWidth + (KernelWidth - 1) * DilationWidth + 1;

    public long PaddedPlane => (long)PaddedHeight * PaddedWidth;

    /// <summary>The forward convolution.</summary>
    public static ImplicitConvShape Forward(Conv2dGeometry g) => new(
        g.Batch, g.Groups, g.InChannels / g.Groups, g.Height, g.Width, g.OutChannels / g.Groups, g.KernelHeight, g.KernelWidth,
        g.Stride.Height, g.Stride.Width, g.Dilation.Height, g.Dilation.Width, g.Padding.Height, g.Padding.Width,
        g.OutHeight, g.OutWidth);

    /// <summary>The transposed convolution of a stride-1 geometry, as a convolution over its output gradient with the flipped kernel.</summary>
    public static ImplicitConvShape TransposedStrideOne(Conv2dGeometry g) => new(
        g.Batch, g.Groups, g.OutChannels / g.Groups, g.OutHeight, g.OutWidth, g.InChannels / g.Groups, g.KernelHeight, g.KernelWidth,
        1, 1, g.Dilation.Height, g.Dilation.Width,
        g.Dilation.Height * (g.KernelHeight - 1) - g.Padding.Height, g.Dilation.Width * (g.KernelWidth - 1) - g.Padding.Width,
        g.Height, g.Width);

    /// <summary>For each reduction index k = (c R + r) S + s of one group, the offset of its tap in the padded planes.</summary>
    public int[] TapOffsets()
    {
        var offsets = new int[Depth];
        int k = 0;
        for (int c = 0; c < InChannelsPerGroup; c++)
            for (int r = 0; r < KernelHeight; r++)
                for (int s = 0; s < KernelWidth; s++)
                    offsets[k++] = checked((int)(c * PaddedPlane + (long)r * DilationHeight * PaddedWidth + s * DilationWidth));
        return offsets;
    }

    /// <summary>Offset, in a padded plane, of the window origin of output pixel <paramref name="pixel"/> (= p Q + q).</summary>
    public int PixelOffset(int pixel) => pixel / OutWidth * StrideHeight * PaddedWidth + pixel % OutWidth * StrideWidth;
}
