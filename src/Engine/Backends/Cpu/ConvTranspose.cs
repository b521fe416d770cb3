using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Ops;

namespace Engine.Backends.Cpu;

/// <summary>
/// The transposed convolution (the input gradient of a convolution): gx = conv^T(gy). For stride 1 it is itself a
/// convolution of gy with the kernel flipped and its in/out channels swapped, so it runs on <see cref="ConvForward{T}"/>.
/// Otherwise each (image, group) multiplies W_g^T [Cg R S x M] by gy_g [M x PQ] with the packed GEMM into a column
/// buffer, which col2im adds into gx.
/// </summary>
internal static unsafe class ConvTranspose<T> where T : unmanaged, INumber<T>
{
    /// <summary>gx (contiguous, overwritten) = conv^T(gy) for the convolution <paramref name="geometry"/>; w [K, Cg, R, S] and gy contiguous.</summary>
    public static void Run(Conv2dGeometry geometry, T* gy, T* w, T* gx)
    {
        if (geometry.Stride is { Height: 1, Width: 1 })
            RunAsConvolution(geometry, gy, w, gx);
        else
            RunWithColumns(geometry, gy, w, gx);
    }

    private static void RunAsConvolution(Conv2dGeometry geometry, T* gy, T* w, T* gx)
    {
        var shape = ImplicitConvShape.TransposedStrideOne(geometry);
        using var flipped = new ScratchBuffer<T>((long)geometry.InChannels * shape.Depth);
        FlipKernel(geometry, w, flipped.Pointer);
        using var packed = new ScratchBuffer<T>(ConvForward<T>.PackedWeightsLength(shape));
        ConvForward<T>.PackWeights(shape, flipped.Pointer, packed.Pointer);
        ConvForward<T>.Run(shape, gy, packed.Pointer, null, gx);
    }

    /// <summary>flipped[g Cg + c][(k R + r) S + s] = w[g M + k, c, R - 1 - r, S - 1 - s]: the weights of the stride-1 transposed convolution.</summary>
    private static void FlipKernel(Conv2dGeometry geometry, T* w, T* flipped)
    {
        int groups = geometry.Groups, m = geometry.OutChannels / groups, cg = geometry.InChannels / groups;
        int kh = geometry.KernelHeight, kw = geometry.KernelWidth, taps = kh * kw;
        for (int g = 0; g < groups; g++)
            for (int c = 0; c < cg; c++)
            {
                T* row = flipped + ((long)g * cg + c) * m * taps;
                for (int k = 0; k < m; k++)
                {
                    T* kernel = w + (((long)g * m + k) * cg + c) * taps;
                    for (int t = 0; t < taps; t++) row[k * taps + t] = kernel[taps - 1 - t];
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunWithColumns(Conv2dGeometry geometry, T* gy, T* w, T* gx)
    {
        int groups = geometry.Groups, m = geometry.OutChannels / groups, cg = geometry.InChannels / groups;
        int depth = cg * geometry.KernelHeight * geometry.KernelWidth, pixels = geometry.OutHeight * geometry.OutWidth;
        long plane = (long)geometry.Height * geometry.Width;
        int units = geometry.Batch * groups;
        int chunks = WorkChunks.Count(units, geometry.MultiplyAdds >= ConvThreading.MinParallelWork);
        // With fewer units than cores the GEMM itself takes all of them.
        int gemmThreads = units < Environment.ProcessorCount ? Environment.ProcessorCount : 1;
        WorkChunks.Run(units, chunks, (_, first, last) =>
        {
            using var columns = new ScratchBuffer<T>((long)depth * pixels);
            for (long unit = first; unit < last; unit++)
            {
                int n = (int)(unit / groups), g = (int)(unit % groups);
                var weightsT = new StridedMatrix<T>(w + (long)g * m * depth, 1, depth);
                var outputGradient = new StridedMatrix<T>(gy + ((long)n * geometry.OutChannels + (long)g * m) * pixels, pixels, 1);
                Multiply(depth, pixels, m, weightsT, outputGradient, new StridedMatrix<T>(columns.Pointer, pixels, 1), gemmThreads);
                T* image = gx + ((long)n * geometry.InChannels + (long)g * cg) * plane;
                NativeMemory.Clear(image, (nuint)(cg * plane * sizeof(T)));
                AddColumns(geometry, columns.Pointer, image, cg);
            }
        });
    }

    private static void Multiply(int m, int n, int k, StridedMatrix<T> a, StridedMatrix<T> b, StridedMatrix<T> c, int threads)
    {
        if (typeof(T) == typeof(float))
            Gemm.Multiply(m, n, k, (float*)a.Data, a.RowStride, a.ColStride, (float*)b.Data, b.RowStride, b.ColStride,
                (float*)c.Data, c.RowStride, c.ColStride, threads);
        else
            Gemm.Multiply(m, n, k, (double*)a.Data, a.RowStride, a.ColStride, (double*)b.Data, b.RowStride, b.ColStride,
                (double*)c.Data, c.RowStride, c.ColStride, threads);
    }

    /// <summary>col2im: adds column (c, r, s) x pixel (p, q) into image element (c, p sh - ph + r dh, q sw - pw + s dw) where that lies inside.</summary>
    private static void AddColumns(Conv2dGeometry geometry, T* columns, T* image, int channels)
    {
        int height = geometry.Height, width = geometry.Width, outHeight = geometry.OutHeight, outWidth = geometry.OutWidth;
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < geometry.KernelHeight; r++)
                for (int s = 0; s < geometry.KernelWidth; s++)
                {
                    T* column = columns + (((long)c * geometry.KernelHeight + r) * geometry.KernelWidth + s) * outHeight * outWidth;
                    T* plane = image + (long)c * height * width;
                    for (int p = 0; p < outHeight; p++)
                    {
                        int i = p * geometry.Stride.Height - geometry.Padding.Height + r * geometry.Dilation.Height;
                        if ((uint)i >= (uint)height) continue;
                        T* source = column + p * outWidth;
                        T* target = plane + (long)i * width;
                        for (int q = 0; q < outWidth; q++)
                        {
                            int j = q * geometry.Stride.Width - geometry.Padding.Width + s * geometry.Dilation.Width;
                            if ((uint)j < (uint)width) target[j] += source[q];
                        }
                    }
                }
    }

    /// <summary>y[n, c, :, :] += bias[c] over contiguous NCHW y.</summary>
    public static void AddBias(T* y, T* bias, int batch, int channels, long plane)
    {
        for (int n = 0; n < batch; n++)
            for (int c = 0; c < channels; c++)
            {
                var values = new Span<T>(y + ((long)n * channels + c) * plane, checked((int)plane));
                TensorPrimitives.Add(values, bias[c], values);
            }
    }
}
