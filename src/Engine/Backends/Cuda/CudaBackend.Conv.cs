using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>
/// The three convolution products. Each goes to cuDNN when the driver has it (<see cref="ICudaDriver.Cudnn"/>) and it has a
/// deterministic algorithm for the geometry, else to the own kernels (CudaBackend.ConvGemm.cs). A bias is first copied
/// into every pixel of y and the product added to it.
/// </summary>
internal sealed partial class CudaBackend
{
    /// <summary>Workspace offered to cuDNN's algorithm search (less when the device cannot spare it).</summary>
    private const long SearchWorkspaceBytes = 256L << 20;

    /// <summary>What computes this device's convolutions (cuDNN, or the own kernels and why).</summary>
    public string ConvolutionLibrary => driver.ConvolutionLibrary;

    public void Conv2d(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry)
    {
        RequireContiguous("Conv2d", y);
        if (y.Count == 0) return;
        var temporaries = new List<Storage>();
        try
        {
            var weights = Contiguous(w, temporaries);
            if (driver.Cudnn is not null && CudnnConvolutions.Supports(geometry))
            {
                var input = Contiguous(x, temporaries);
                if (Plan(ConvolutionPass.Forward, geometry, y.DType, input, weights, y) is { } plan)
                {
                    if (bias is { } b) Copy(ChannelsOf(b, y.Shape), y);
                    RunCudnn(plan, input, weights, y, bias is null ? 0 : 1);
                    return;
                }
            }
            if (bias is { } channels) Copy(ChannelsOf(channels, y.Shape), y);
            ConvolveWithGemm(x, weights, y, geometry, accumulate: bias is not null);
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    public void Conv2dTranspose(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry)
    {
        RequireContiguous("Conv2dTranspose", y);
        if (y.Count == 0) return;
        var temporaries = new List<Storage>();
        try
        {
            var weights = Contiguous(w, temporaries);
            var gradient = Contiguous(x, temporaries);
            if (driver.Cudnn is not null && CudnnConvolutions.Supports(geometry)
                && Plan(ConvolutionPass.BackwardData, geometry, y.DType, weights, gradient, y) is { } plan)
            {
                if (bias is { } b) Copy(ChannelsOf(b, y.Shape), y);
                RunCudnn(plan, weights, gradient, y, bias is null ? 0 : 1);
                return;
            }
            if (bias is { } channels) Copy(ChannelsOf(channels, y.Shape), y);
            TransposeWithGemm(gradient, weights, y, geometry, accumulate: bias is not null);
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    public void Conv2dWeightGradient(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry geometry)
    {
        RequireContiguous("Conv2dWeightGradient", gw);
        if (gw.Count == 0) return;
        var temporaries = new List<Storage>();
        try
        {
            if (driver.Cudnn is not null && CudnnConvolutions.Supports(geometry))
            {
                var input = Contiguous(x, temporaries);
                var gradient = Contiguous(gy, temporaries);
                if (Plan(ConvolutionPass.BackwardFilter, geometry, gw.DType, input, gradient, gw) is { } plan)
                {
                    RunCudnn(plan, input, gradient, gw, 0);
                    return;
                }
            }
            WeightGradientWithGemm(x, gy, gw, geometry);
        }
        finally
        {
            foreach (var storage in temporaries) storage.Release();
        }
    }

    /// <summary>
    /// The cuDNN plan of the pass, searched on these operands the first time (which overwrites <paramref name="output"/>), or
    /// null when cuDNN has no deterministic algorithm for it.
    /// </summary>
    private CudnnPlan? Plan(ConvolutionPass pass, Conv2dGeometry geometry, DType dtype, BufferView first, BufferView second, BufferView output)
    {
        var cudnn = driver.Cudnn!;
        var key = new ConvolutionKey(pass, dtype, geometry, dtype == DType.F32 && CudaDevices.AllowTf32);
        if (cudnn.TryGetPlan(key, out var plan)) return plan;
        long bytes = SearchWorkspaceBytes;
        ulong workspace;
        try
        {
            workspace = allocator.Allocate(bytes);
        }
        catch (CudaOutOfMemoryException)
        {
            (workspace, bytes) = (0, 0);
        }
        try
        {
            return cudnn.Search(key, Address(first), Address(second), Address(output), workspace, bytes);
        }
        finally
        {
            if (workspace != 0) allocator.Free(workspace);
        }
    }

    private void RunCudnn(CudnnPlan plan, BufferView first, BufferView second, BufferView output, double beta)
    {
        ulong workspace = plan.WorkspaceBytes > 0 ? allocator.Allocate(plan.WorkspaceBytes) : 0;
        try
        {
            driver.Cudnn!.Run(plan, Address(first), Address(second), Address(output), beta, workspace);
        }
        finally
        {
            // Safe at once: later work that reuses the memory is queued behind cuDNN's on the one stream.
            if (workspace != 0) allocator.Free(workspace);
        }
    }

    /// <summary>A per-channel vector [C] seen as an image tensor of <paramref name="shape"/> [N, C, H, W] (stride 0 elsewhere).</summary>
    private static BufferView ChannelsOf(BufferView vector, int[] shape) =>
        new(vector.Storage, shape, [0, vector.Strides[0], 0, 0], vector.Offset);

    private void RequireContiguous(string op, BufferView output)
    {
        if (!output.IsContiguous) throw new ArgumentException($"{op}: the output buffer on {Device} must be contiguous");
    }
}
