using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Engine.Backends.Cpu;

/// <summary>
/// The weight gradient of a convolution as a GEMM per image and group: dW_g [M x Cg R S] += dY_g [M x PQ] *
/// im2col(x_g)^T [PQ x Cg R S], the reduction running over output pixels. dY rows pack as A directly; B is packed
/// per KC pixels x NR taps from the zero-padded image, transposing on the way. The (image, group, pixel slice) units are
/// split into a fixed number of chunks that the cores take on demand; each chunk accumulates into its own copy of dW
/// and the copies are added in chunk order, so the result does not depend on which core ran which chunk.
/// </summary>
internal static unsafe class ConvWeightGradient<T> where T : unmanaged, INumber<T>
{
    private static int Mr => GemmMicroKernel<T>.Mr;
    private static int Nr => GemmMicroKernel<T>.Nr;
    private static int Kc => GemmMicroKernel<T>.Kc;

    /// <summary>gw [G M, Cg R S] (contiguous) = the gradient for x and gy, both contiguous NCHW.</summary>
    public static void Run(ImplicitConvShape shape, T* x, T* gy, T* gw)
    {
        int slices = (shape.Pixels + Kc - 1) / Kc;
        long units = (long)shape.Batch * shape.Groups * slices;
        long work = (long)shape.Batch * shape.OutChannels * shape.Pixels * shape.Depth;
        int chunks = WorkChunks.Count(units, work >= ConvThreading.MinParallelWork);
        long size = (long)shape.OutChannels * shape.Depth;
        var taps = shape.TapOffsets();
        using var partials = new ScratchBuffer<T>(size * (chunks - 1), zeroed: true);
        new Span<T>(gw, checked((int)size)).Clear();
        fixed (int* tapOffsets = taps)
        {
            int* t = tapOffsets;
            T* partialBase = partials.Pointer;
            WorkChunks.Run(units, chunks, (chunk, first, last) =>
                RunUnits(shape, x, gy, chunk == 0 ? gw : partialBase + (chunk - 1) * size, t, slices, first, last));
        }
        for (int chunk = 1; chunk < chunks; chunk++)
        {
            var total = new Span<T>(gw, (int)size);
            TensorPrimitives.Add(total, new ReadOnlySpan<T>(partials.Pointer + (chunk - 1) * size, (int)size), total);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunUnits(in ImplicitConvShape shape, T* x, T* gy, T* gw, int* taps, int slices, long first, long last)
    {
        int m = shape.OutChannelsPerGroup, depth = shape.Depth, pixels = shape.Pixels;
        long imageSize = (long)shape.InChannels * shape.Height * shape.Width;
        using var padded = new ScratchBuffer<T>(shape.InChannels * shape.PaddedPlane);
        using var packs = new ScratchBuffer<T>((long)RoundUp(m, Mr) * Kc + (long)Kc * Nr + Mr * Nr);
        T* packedA = packs.Pointer, packedB = packedA + (long)RoundUp(m, Mr) * Kc, tile = packedB + (long)Kc * Nr;
        int* pixelOffsets = stackalloc int[Kc];
        int paddedImage = -1;
        for (long unit = first; unit < last; unit++)
        {
            int slice = (int)(unit % slices), g = (int)(unit / slices % shape.Groups), n = (int)(unit / slices / shape.Groups);
            if (n != paddedImage)
            {
                ConvPacking.PadImage(shape, x + n * imageSize, padded.Pointer);
                paddedImage = n;
            }
            int p0 = slice * Kc, kc = Math.Min(Kc, pixels - p0);
            for (int p = 0; p < kc; p++) pixelOffsets[p] = shape.PixelOffset(p0 + p);
            var rows = new StridedMatrix<T>(gy + ((long)n * shape.OutChannels + (long)g * m) * pixels + p0, pixels, 1);
            GemmPacking.PackA(m, kc, Mr, rows, packedA);
            T* group = padded.Pointer + g * shape.InChannelsPerGroup * shape.PaddedPlane;
            T* output = gw + (long)g * m * depth;
            for (int j0 = 0; j0 < depth; j0 += Nr)
            {
                int columns = Math.Min(Nr, depth - j0);
                ConvPacking.PackTransposed(group, taps, j0, columns, pixelOffsets, kc, Nr, packedB);
                for (int m0 = 0; m0 < m; m0 += Mr)
                {
                    T* c = output + (long)m0 * depth + j0;
                    int tileRows = Math.Min(Mr, m - m0);
                    if (tileRows == Mr && columns == Nr)
                    {
                        GemmMicroKernel<T>.Run(kc, packedA + (long)m0 * Kc, packedB, c, depth, accumulate: true);
                    }
                    else
                    {
                        GemmMicroKernel<T>.Run(kc, packedA + (long)m0 * Kc, packedB, tile, Nr, accumulate: false);
                        GemmPacking.StoreTile(tileRows, columns, tile, Nr, new StridedMatrix<T>(c, depth, 1), accumulate: true);
                    }
                }
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
