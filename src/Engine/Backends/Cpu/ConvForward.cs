using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Backends.Cpu;

/// <summary>
/// The convolution as an implicit GEMM per image and group: Y_g [M x PQ] = A_g [M x Cg R S] * im2col(x_g) [Cg R S x PQ].
/// A (the weights) is packed once per call. The im2col matrix is never built: each image is copied once into a
/// zero-padded buffer, and for every strip of NR output pixels and every KC-deep slice of the reduction a KC x NR
/// micro-panel of it is packed from that buffer (a few contiguous runs per row for stride 1) and multiplied by every
/// MR-row panel of A with <see cref="GemmMicroKernel{T}"/>, straight into y's rows. The strip's C tile stays in L1
/// across the slices. Work is shared out in chunks of (image, group, strip) units, each writing its own outputs.
/// </summary>
internal static unsafe class ConvForward<T> where T : unmanaged, INumber<T>
{
    private static int Mr => GemmMicroKernel<T>.Mr;
    private static int Nr => GemmMicroKernel<T>.Nr;
    private static int Kc => GemmMicroKernel<T>.Kc;

    /// <summary>Elements of the packed weights for <paramref name="shape"/>.</summary>
    public static long PackedWeightsLength(in ImplicitConvShape shape) =>
        (long)shape.Groups * Slices(shape.Depth) * RoundUp(shape.OutChannelsPerGroup, Mr) * Kc;

    /// <summary>Packs weights given as contiguous rows a[g M + m][k] (k &lt; Cg R S) for <see cref="Run"/>.</summary>
    public static void PackWeights(in ImplicitConvShape shape, T* weights, T* packed)
    {
        int m = shape.OutChannelsPerGroup, depth = shape.Depth, slices = Slices(depth);
        long block = (long)RoundUp(m, Mr) * Kc;
        for (int g = 0; g < shape.Groups; g++)
            for (int slice = 0; slice < slices; slice++)
            {
                int k0 = slice * Kc;
                var a = new StridedMatrix<T>(weights + (long)g * m * depth + k0, depth, 1);
                GemmPacking.PackA(m, Math.Min(Kc, depth - k0), Mr, a, packed + (g * slices + slice) * block);
            }
    }

    /// <summary>y = conv(x) (+ bias per output channel); x and y contiguous NCHW, weights packed by <see cref="PackWeights"/>.</summary>
    public static void Run(ImplicitConvShape shape, T* x, T* packedWeights, T* bias, T* y)
    {
        int strips = DivCeil(shape.Pixels, Nr);
        long units = (long)shape.Batch * shape.Groups * strips;
        var taps = shape.TapOffsets();
        long work = (long)shape.Batch * shape.OutChannels * shape.Pixels * shape.Depth;
        int chunks = WorkChunks.Count(units, work >= ConvThreading.MinParallelWork);
        fixed (int* tapOffsets = taps)
        {
            int* t = tapOffsets;
            WorkChunks.Run(units, chunks, (_, first, last) => RunUnits(shape, x, packedWeights, bias, y, t, strips, first, last));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunUnits(in ImplicitConvShape shape, T* x, T* packedWeights, T* bias, T* y, int* taps, int strips, long first, long last)
    {
        int m = shape.OutChannelsPerGroup, depth = shape.Depth, pixels = shape.Pixels, slices = Slices(depth);
        long block = (long)RoundUp(m, Mr) * Kc;
        long imageSize = (long)shape.InChannels * shape.Height * shape.Width;
        using var padded = new ScratchBuffer<T>(shape.InChannels * shape.PaddedPlane);
        using var panel = new ScratchBuffer<T>((long)Kc * Nr + Mr * Nr);
        T* packedB = panel.Pointer, tile = panel.Pointer + (long)Kc * Nr;
        Span<ConvPacking.Run> runs = stackalloc ConvPacking.Run[Nr];
        int paddedImage = -1;
        for (long unit = first; unit < last; unit++)
        {
            int strip = (int)(unit % strips), g = (int)(unit / strips % shape.Groups), n = (int)(unit / strips / shape.Groups);
            if (n != paddedImage)
            {
                ConvPacking.PadImage(shape, x + n * imageSize, padded.Pointer);
                paddedImage = n;
            }
            int p0 = strip * Nr, columns = Math.Min(Nr, pixels - p0);
            var stripRuns = runs[..ConvPacking.Runs(shape, p0, columns, runs)];
            if (columns < Nr)
                for (int k = 0; k < Kc; k++) new Span<T>(packedB + (long)k * Nr + columns, Nr - columns).Clear();
            T* group = padded.Pointer + g * shape.InChannelsPerGroup * shape.PaddedPlane;
            T* output = y + ((long)n * shape.OutChannels + (long)g * m) * pixels + p0;
            for (int slice = 0; slice < slices; slice++)
            {
                int k0 = slice * Kc, kc = Math.Min(Kc, depth - k0);
                ConvPacking.PackStrip(group, taps, k0, kc, stripRuns, shape.StrideWidth, Nr, packedB);
                T* a = packedWeights + (g * slices + slice) * block;
                for (int m0 = 0; m0 < m; m0 += Mr)
                {
                    T* c = output + (long)m0 * pixels;
                    int rows = Math.Min(Mr, m - m0);
                    if (rows == Mr && columns == Nr)
                    {
                        GemmMicroKernel<T>.Run(kc, a + (long)m0 * Kc, packedB, c, pixels, accumulate: slice > 0);
                    }
                    else
                    {
                        GemmMicroKernel<T>.Run(kc, a + (long)m0 * Kc, packedB, tile, Nr, accumulate: false);
                        GemmPacking.StoreTile(rows, columns, tile, Nr, new StridedMatrix<T>(c, pixels, 1), accumulate: slice > 0);
                    }
                }
            }
            if (bias != null)
                for (int row = 0; row < m; row++)
                {
                    var values = new Span<T>(output + (long)row * pixels, columns);
                    System.Numerics.Tensors.TensorPrimitives.Add(values, bias[g * m + row], values);
                }
        }
    }

    private static int Slices(int depth) => DivCeil(depth, Kc);

    private static int DivCeil(int value, int divisor) => (value + divisor - 1) / divisor;

    private static int RoundUp(int value, int multiple) => DivCeil(value, multiple) * multiple;
}

/// <summary>When the convolution kernels use more than one core.</summary>
internal static class ConvThreading
{
    /// <summary>Multiply-adds below which a second thread does not pay for itself (the GEMM's measured break-even).</summary>
    public const long MinParallelWork = 128L * 128 * 128;
}
