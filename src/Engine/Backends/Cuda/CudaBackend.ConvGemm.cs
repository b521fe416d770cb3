using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>
/// The project's own convolutions: im2col (kernels/conv.cu) + cuBLAS GEMMs, for a chunk of images at a time so the column
/// buffer stays under <see cref="ColumnBufferBytes"/>. With W_g the [M, Cg R S] weights of group g and col_n the
/// [C R S, P Q] column matrix of image n:
/// <list type="bullet">
/// <item>forward: y_n,g = W_g col_n,g, one strided-batched GEMM per group over the chunk's images;</item>
/// <item>transposed (the input gradient): col_n,g = W_g^T gy_n,g, then col2im folds the columns into the images;</item>
/// <item>weight gradient: dW_g = gy_g col_g^T with the chunk's images side by side along the reduction (columns laid out
/// [C R S, images P Q], gy copied to [K, images P Q]), accumulated over the chunks.</item>
/// </list>
/// A 1x1 convolution with stride 1 and no padding needs no columns: x is its own column matrix. Every step is
/// deterministic: no atomics, sums in a fixed order.
/// </summary>
internal sealed partial class CudaBackend
{
    /// <summary>
    /// The most memory one chunk's column matrix takes (one image's columns when a single image needs more). Results do not
    /// depend on it; tests lower it to run several chunks on small inputs.
    /// </summary>
    internal long ColumnBufferBytes { get; set; } = 256L << 20;

    /// <summary>cuBLAS's strided-batched GEMMs take at most this many matrices per call here.</summary>
    private const int MaxGemmBatch = 65535;

    /// <summary>y (contiguous, holding the bias when <paramref name="accumulate"/>) (+)= conv(x, w); w contiguous.</summary>
    private void ConvolveWithGemm(BufferView x, BufferView w, BufferView y, Conv2dGeometry g, bool accumulate)
    {
        int m = g.OutChannels / g.Groups, cg = g.InChannels / g.Groups, depth = cg * g.KernelHeight * g.KernelWidth;
        int pixels = g.OutHeight * g.OutWidth, size = y.DType.ElementSize();
        long outputImage = (long)g.OutChannels * pixels;
        if (IsPointwise(g) && x.IsContiguous)
        {
            long plane = (long)g.Height * g.Width, inputImage = g.InChannels * plane;
            for (int n0 = 0; n0 < g.Batch; n0 += MaxGemmBatch)
            {
                int images = Math.Min(MaxGemmBatch, g.Batch - n0);
                for (int group = 0; group < g.Groups; group++)
                    Gemm(y.DType,
                        new MatrixOperand(Address(w) + (ulong)((long)group * m * depth * size), m, depth, depth, 1),
                        new MatrixOperand(Address(x) + (ulong)((n0 * inputImage + (long)group * cg * plane) * size), cg, pixels, plane, 1, inputImage),
                        new MatrixOperand(Address(y) + (ulong)((n0 * outputImage + (long)group * m * pixels) * size), m, pixels, pixels, 1, outputImage),
                        accumulate ? 1 : 0, images);
            }
            return;
        }
        long rows = (long)g.InChannels * g.KernelHeight * g.KernelWidth, columnImage = rows * pixels;
        int chunk = ImagesPerChunk(g, columnImage * size);
        var columns = Temporary(y.DType, [checked((int)(chunk * columnImage))]);
        try
        {
            for (int n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                int images = Math.Min(chunk, g.Batch - n0);
                Im2col(x, n0, images, g, columns, new ColumnStrides(columnImage, pixels));
                for (int group = 0; group < g.Groups; group++)
                    Gemm(y.DType,
                        new MatrixOperand(Address(w) + (ulong)((long)group * m * depth * size), m, depth, depth, 1),
                        new MatrixOperand(Address(columns) + (ulong)((long)group * depth * pixels * size), depth, pixels, pixels, 1, columnImage),
                        new MatrixOperand(Address(y) + (ulong)((n0 * outputImage + (long)group * m * pixels) * size), m, pixels, pixels, 1, outputImage),
                        accumulate ? 1 : 0, images);
            }
        }
        finally
        {
            columns.Storage.Release();
        }
    }

    /// <summary>gx (contiguous, holding the bias when <paramref name="accumulate"/>) (+)= conv^T(gy); w and gy contiguous.</summary>
    private void TransposeWithGemm(BufferView gy, BufferView w, BufferView gx, Conv2dGeometry g, bool accumulate)
    {
        int m = g.OutChannels / g.Groups, cg = g.InChannels / g.Groups, depth = cg * g.KernelHeight * g.KernelWidth;
        int pixels = g.OutHeight * g.OutWidth, size = gx.DType.ElementSize();
        long outputImage = (long)g.OutChannels * pixels, plane = (long)g.Height * g.Width, inputImage = g.InChannels * plane;
        if (IsPointwise(g))
        {
            for (int n0 = 0; n0 < g.Batch; n0 += MaxGemmBatch)
            {
                int images = Math.Min(MaxGemmBatch, g.Batch - n0);
                for (int group = 0; group < g.Groups; group++)
                    Gemm(gx.DType,
                        new MatrixOperand(Address(w) + (ulong)((long)group * m * depth * size), depth, m, 1, depth),
                        new MatrixOperand(Address(gy) + (ulong)((n0 * outputImage + (long)group * m * pixels) * size), m, pixels, pixels, 1, outputImage),
                        new MatrixOperand(Address(gx) + (ulong)((n0 * inputImage + (long)group * cg * plane) * size), cg, pixels, plane, 1, inputImage),
                        accumulate ? 1 : 0, images);
            }
            return;
        }
        long rows = (long)g.InChannels * g.KernelHeight * g.KernelWidth, columnImage = rows * pixels;
        int chunk = ImagesPerChunk(g, columnImage * size);
        var columns = Temporary(gx.DType, [checked((int)(chunk * columnImage))]);
        try
        {
            for (int n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                int images = Math.Min(chunk, g.Batch - n0);
                for (int group = 0; group < g.Groups; group++)
                    Gemm(gx.DType,
                        new MatrixOperand(Address(w) + (ulong)((long)group * m * depth * size), depth, m, 1, depth),
                        new MatrixOperand(Address(gy) + (ulong)((n0 * outputImage + (long)group * m * pixels) * size), m, pixels, pixels, 1, outputImage),
                        new MatrixOperand(Address(columns) + (ulong)((long)group * depth * pixels * size), depth, pixels, pixels, 1, columnImage),
                        0, images);
                Col2im(columns, new ColumnStrides(columnImage, pixels), g, images, Address(gx) + (ulong)(n0 * inputImage * size), accumulate);
            }
        }
        finally
        {
            columns.Storage.Release();
        }
    }

    /// <summary>gw (contiguous) = the weight gradient of conv for x and gy (any strides).</summary>
    private void WeightGradientWithGemm(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry g)
    {
        int m = g.OutChannels / g.Groups, cg = g.InChannels / g.Groups, depth = cg * g.KernelHeight * g.KernelWidth;
        int pixels = g.OutHeight * g.OutWidth, size = gw.DType.ElementSize();
        long rows = (long)g.InChannels * g.KernelHeight * g.KernelWidth;
        int chunk = ImagesPerChunk(g, rows * pixels * size);
        var columns = Temporary(gw.DType, [checked((int)(chunk * rows * pixels))]);
        var gradients = Temporary(gw.DType, [checked((int)((long)g.OutChannels * chunk * pixels))]);
        try
        {
            for (int n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                int images = Math.Min(chunk, g.Batch - n0), span = images * pixels;
                Im2col(x, n0, images, g, columns, new ColumnStrides(pixels, span));
                var transposed = new BufferView(gradients.Storage, [g.OutChannels, images, g.OutHeight, g.OutWidth],
                    Shapes.ContiguousStrides([g.OutChannels, images, g.OutHeight, g.OutWidth]), 0);
                Copy(gy.Narrow(0, n0, images).Permute([1, 0, 2, 3]), transposed);
                for (int group = 0; group < g.Groups; group++)
                    Gemm(gw.DType,
                        new MatrixOperand(Address(gradients) + (ulong)((long)group * m * span * size), m, span, span, 1),
                        new MatrixOperand(Address(columns) + (ulong)((long)group * depth * span * size), span, depth, 1, span),
                        new MatrixOperand(Address(gw) + (ulong)((long)group * m * depth * size), m, depth, depth, 1),
                        n0 == 0 ? 0 : 1);
            }
        }
        finally
        {
            columns.Storage.Release();
            gradients.Storage.Release();
        }
    }

    /// <summary>A 1x1 kernel with stride 1 and no padding: the convolution is a product with the image itself.</summary>
    private static bool IsPointwise(Conv2dGeometry g) =>
        g is { KernelHeight: 1, KernelWidth: 1, Stride: { Height: 1, Width: 1 }, Padding: { Height: 0, Width: 0 } };

    /// <summary>Images per chunk: as many as fit <see cref="ColumnBufferBytes"/> (at least one, at most <see cref="MaxGemmBatch"/>).</summary>
    private int ImagesPerChunk(Conv2dGeometry g, long columnBytesPerImage) =>
        (int)Math.Clamp(ColumnBufferBytes / Math.Max(1, columnBytesPerImage), 1, Math.Min(g.Batch, MaxGemmBatch));

    /// <summary>The column matrices of images n0 .. n0 + images of x (any strides) into <paramref name="columns"/>.</summary>
    private void Im2col(BufferView x, int n0, int images, Conv2dGeometry g, BufferView columns, ColumnStrides strides)
    {
        long total = (long)images * g.InChannels * g.OutHeight * g.OutWidth;
        var arguments = new KernelArguments();
        arguments.Add(total);
        arguments.Add(ConvKernelShape.Of(g, images));
        arguments.Add(Address(x.Narrow(0, n0, images)));
        arguments.Add(ImageStrides.Of(x));
        arguments.Add(Address(columns));
        arguments.Add(strides);
        Launch(KernelNames.Conv, $"im2col_{KernelNames.Suffix(x.DType)}", launch.Elementwise(total), arguments);
    }

    /// <summary>Folds the column matrices of <paramref name="images"/> images into the contiguous images at <paramref name="target"/>.</summary>
    private void Col2im(BufferView columns, ColumnStrides strides, Conv2dGeometry g, int images, ulong target, bool accumulate)
    {
        long total = (long)images * g.InChannels * g.Height * g.Width;
        var arguments = new KernelArguments();
        arguments.Add(total);
        arguments.Add(ConvKernelShape.Of(g, images));
        arguments.Add(Address(columns));
        arguments.Add(strides);
        arguments.Add(target);
        arguments.Add(accumulate ? 1 : 0);
        Launch(KernelNames.Conv, $"col2im_{KernelNames.Suffix(columns.DType)}", launch.Elementwise(total), arguments);
    }
}
