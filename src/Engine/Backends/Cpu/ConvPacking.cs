using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Backends.Cpu;

/// <summary>
/// Builds the operands of the implicit-GEMM convolution: zero-padded copies of input images, and packed panels of
/// the im2col matrix read straight from them (never materialised whole), in the layouts of
/// <see cref="GemmMicroKernel{T}"/>.
/// </summary>
internal static unsafe class ConvPacking
{
    /// <summary>
    /// Copies the <see cref="ImplicitConvShape.InChannels"/> planes of one contiguous image into <paramref name="padded"/>,
    /// each plane <see cref="ImplicitConvShape.PaddedHeight"/> x <see cref="ImplicitConvShape.PaddedWidth"/>, with input
    /// row i at padded row i + PadTop (likewise columns) and zeros where no input element lands.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PadImage<T>(in ImplicitConvShape shape, T* image, T* padded) where T : unmanaged
    {
        int height = shape.PaddedHeight, width = shape.PaddedWidth;
        int firstColumn = Math.Max(0, shape.PadLeft), sourceColumn = Math.Max(0, -shape.PadLeft);
        int columns = Math.Min(shape.Width - sourceColumn, width - firstColumn);
        for (int c = 0; c < shape.InChannels; c++)
        {
            T* plane = padded + c * shape.PaddedPlane;
            T* source = image + (long)c * shape.Height * shape.Width;
            for (int i = 0; i < height; i++)
            {
                var row = new Span<T>(plane + (long)i * width, width);
                int inputRow = i - shape.PadTop;
                if ((uint)inputRow >= (uint)shape.Height || columns <= 0)
                {
                    row.Clear();
                    continue;
                }
                row[..firstColumn].Clear();
                new ReadOnlySpan<T>(source + (long)inputRow * shape.Width + sourceColumn, columns).CopyTo(row.Slice(firstColumn, columns));
                row[(firstColumn + columns)..].Clear();
            }
        }
    }

    /// <summary>A run of output pixels of one output row inside a strip: where it starts in the strip and in a padded plane.</summary>
    public readonly record struct Run(int Start, int Length, int Offset);

    /// <summary>Splits the pixels [first, first + count) into runs that stay on one output row.</summary>
    public static int Runs(in ImplicitConvShape shape, int first, int count, Span<Run> runs)
    {
        int n = 0;
        for (int j = 0; j < count;)
        {
            int pixel = first + j;
            int length = Math.Min(shape.OutWidth - pixel % shape.OutWidth, count - j);
            runs[n++] = new Run(j, length, shape.PixelOffset(pixel));
            j += length;
        }
        return n;
    }

    /// <summary>
    /// Packs rows [k0, k0 + kc) of one group's im2col matrix, columns given by <paramref name="runs"/> (one strip of at
    /// most NR output pixels), as a kc x NR micro-panel of B: element (k, j) at dest[(k - k0) NR + j]. Columns past the
    /// strip are left as they are (the caller zeroes them once).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackStrip<T>(T* group, int* taps, int k0, int kc, ReadOnlySpan<Run> runs, int stride, int nr, T* dest) where T : unmanaged
    {
        for (int k = 0; k < kc; k++)
        {
            T* source = group + taps[k0 + k];
            T* row = dest + (long)k * nr;
            foreach (var run in runs)
                CopyRun(source + run.Offset, stride, row + run.Start, run.Length);
        }
    }

    /// <summary>
    /// Packs the transpose of a block of one group's im2col matrix, for the weight gradient: pixels [p0, p0 + kc) by
    /// reduction indices [j0, j0 + NR), element (p, j) at dest[(p - p0) NR + (j - j0)], zeros for j past the depth.
    /// For F32 with AVX, eight pixels adjacent in the image by eight taps are moved as one 8x8 transpose in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTransposed<T>(T* group, int* taps, int j0, int columns, int* pixelOffsets, int kc, int nr, T* dest) where T : unmanaged
    {
        int* tap = taps + j0;
        bool vectors = typeof(T) == typeof(float) && Avx.IsSupported;
        for (int p = 0; p < kc; p += 8)
        {
            int rows = Math.Min(8, kc - p), j = 0;
            if (vectors && rows == 8 && pixelOffsets[p + 7] - pixelOffsets[p] == 7)
                for (; j + 8 <= columns; j += 8)
                    Transpose8x8((float*)group + pixelOffsets[p], tap + j, (float*)dest + (long)p * nr + j, nr);
            for (int q = p; q < p + rows; q++) FinishRow(group + pixelOffsets[q], tap, j, columns, nr, dest + (long)q * nr);
        }
    }

    /// <summary>row[j] = source[tap[j]] for j in [from, columns), zeros up to nr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FinishRow<T>(T* source, int* tap, int from, int columns, int nr, T* row) where T : unmanaged
    {
        int j = from;
        for (; j < columns; j++) row[j] = source[tap[j]];
        for (; j < nr; j++) row[j] = default;
    }

    /// <summary>Eight consecutive values from each of eight taps, written as eight rows (one per pixel) of eight taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* pixels, int* tap, float* dest, int stride)
    {
        Vector256<float> r0 = Avx.LoadVector256(pixels + tap[0]), r1 = Avx.LoadVector256(pixels + tap[1]);
        Vector256<float> r2 = Avx.LoadVector256(pixels + tap[2]), r3 = Avx.LoadVector256(pixels + tap[3]);
        Vector256<float> r4 = Avx.LoadVector256(pixels + tap[4]), r5 = Avx.LoadVector256(pixels + tap[5]);
        Vector256<float> r6 = Avx.LoadVector256(pixels + tap[6]), r7 = Avx.LoadVector256(pixels + tap[7]);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dest, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(dest + stride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(dest + 2 * stride, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(dest + 3 * stride, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(dest + 4 * stride, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(dest + 5 * stride, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(dest + 6 * stride, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(dest + 7 * stride, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>dest[0..length) = source[0, stride, 2 stride, ...].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun<T>(T* source, int stride, T* dest, int length) where T : unmanaged
    {
        if (stride != 1)
        {
            for (int i = 0; i < length; i++) dest[i] = source[(long)i * stride];
            return;
        }
        int width = Vector512<T>.Count;
        if (length < width)
        {
            new ReadOnlySpan<T>(source, length).CopyTo(new Span<T>(dest, length));
            return;
        }
        int last = length - width;
        for (int i = 0; i < last; i += width)
            Vector512.Load(source + i).Store(dest + i);
        // The last vector may overlap the previous one; it rewrites the same values.
        Vector512.Load(source + last).Store(dest + last);
    }
}
