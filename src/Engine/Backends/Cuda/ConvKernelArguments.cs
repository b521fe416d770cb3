using System.Runtime.InteropServices;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>kernels/conv.cu's ConvShape: the sizes of one convolution over a chunk of <see cref="Images"/> images.</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct ConvKernelShape(
    int Images, int Channels, int Height, int Width,
    int KernelHeight, int KernelWidth, int OutHeight, int OutWidth,
    int StrideHeight, int StrideWidth, int PadHeight, int PadWidth,
    int DilationHeight, int DilationWidth)
{
    public static ConvKernelShape Of(Conv2dGeometry g, int images) => new(
        images, g.InChannels, g.Height, g.Width, g.KernelHeight, g.KernelWidth, g.OutHeight, g.OutWidth,
        g.Stride.Height, g.Stride.Width, g.Padding.Height, g.Padding.Width, g.Dilation.Height, g.Dilation.Width);
}

/// <summary>kernels/common.cuh's ImageStrides: element strides of an image operand [N, C, H, W].</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct ImageStrides(long N, long C, long H, long W)
{
    public static ImageStrides Of(in BufferView image) => new(image.Strides[0], image.Strides[1], image.Strides[2], image.Strides[3]);
}

/// <summary>
/// kernels/conv.cu's ColumnStrides: column element (image n, row (c R + r) S + s, pixel p Q + q) of an im2col matrix is at
/// n <see cref="Image"/> + row <see cref="Row"/> + pixel.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct ColumnStrides(long Image, long Row);
