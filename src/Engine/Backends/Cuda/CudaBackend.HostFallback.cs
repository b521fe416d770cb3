using Engine.Backends.Cpu;
using Engine.Ops;

namespace Engine.Backends.Cuda;

/// <summary>
/// The convolution, normalisation, pooling, dropout and fused optimizer ops have no CUDA kernels yet. Until they get
/// them (and cuDNN), they run on the CPU backend: the operands they read are copied to host memory, the results are
/// copied back into the device buffers. Correct on every device, the emulated one included, but each call waits for
/// the device and moves its operands both ways.
/// </summary>
internal sealed unsafe partial class CudaBackend
{
    private static CpuBackend Host => CpuBackend.Instance;

    public void Conv2d(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry) =>
        OnHost([x, w, bias, y], written: 3, h => Host.Conv2d(h[0]!.Value, h[1]!.Value, h[2], h[3]!.Value, geometry));

    public void Conv2dTranspose(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry) =>
        OnHost([x, w, bias, y], written: 3, h => Host.Conv2dTranspose(h[0]!.Value, h[1]!.Value, h[2], h[3]!.Value, geometry));

    public void Conv2dWeightGradient(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry geometry) =>
        OnHost([x, gy, gw], written: 2, h => Host.Conv2dWeightGradient(h[0]!.Value, h[1]!.Value, h[2]!.Value, geometry));

    public void Moments(BufferView x, BufferView mean, BufferView variance, int correction) =>
        OnHost([x, mean, variance], written: 1, h => Host.Moments(h[0]!.Value, h[1]!.Value, h[2]!.Value, correction));

    public void MultiplyAdd(BufferView x, BufferView scale, BufferView shift, BufferView y) =>
        OnHost([x, scale, shift, y], written: 3, h => Host.MultiplyAdd(h[0]!.Value, h[1]!.Value, h[2]!.Value, h[3]!.Value));

    public void MaxPool2d(BufferView x, BufferView y, BufferView indices, Pool2dWindows windows) =>
        OnHost([x, y, indices], written: 1, h => Host.MaxPool2d(h[0]!.Value, h[1]!.Value, h[2]!.Value, windows));

    public void MaxPool2dBackward(BufferView gy, BufferView indices, BufferView gx) =>
        OnHost([gy, indices, gx], written: 2, h => Host.MaxPool2dBackward(h[0]!.Value, h[1]!.Value, h[2]!.Value));

    public void AvgPool2d(BufferView x, BufferView y, Pool2dWindows windows) =>
        OnHost([x, y], written: 1, h => Host.AvgPool2d(h[0]!.Value, h[1]!.Value, windows));

    public void AvgPool2dTranspose(BufferView gy, BufferView gx, Pool2dWindows windows) =>
        OnHost([gy, gx], written: 1, h => Host.AvgPool2dTranspose(h[0]!.Value, h[1]!.Value, windows));

    public void Dropout(BufferView x, BufferView y, double p, ulong seed, ulong offset) =>
        OnHost([x, y], written: 1, h => Host.Dropout(h[0]!.Value, h[1]!.Value, p, seed, offset));

    public void SgdUpdate(BufferView parameter, BufferView gradient, BufferView? momentumBuffer, SgdRule rule) =>
        OnHost([gradient, parameter, momentumBuffer], written: 1, h => Host.SgdUpdate(h[1]!.Value, h[0]!.Value, h[2], rule), updatesInPlace: true);

    public void AdamUpdate(BufferView parameter, BufferView gradient, BufferView expAvg, BufferView expAvgSq, AdamRule rule) =>
        OnHost([gradient, parameter, expAvg, expAvgSq], written: 1, h => Host.AdamUpdate(h[1]!.Value, h[0]!.Value, h[2]!.Value, h[3]!.Value, rule),
            updatesInPlace: true);

    /// <summary>
    /// Runs <paramref name="run"/> on host copies of <paramref name="operands"/> (null ones stay null). Operands from
    /// index <paramref name="written"/> on are what the op writes: they are copied back afterwards, and copied in
    /// first only when the op updates them in place.
    /// </summary>
    private void OnHost(BufferView?[] operands, int written, Action<BufferView?[]> run, bool updatesInPlace = false)
    {
        var host = new BufferView?[operands.Length];
        try
        {
            for (int i = 0; i < operands.Length; i++)
                if (operands[i] is { } view) host[i] = ToHost(view, read: i < written || updatesInPlace);
            run(host);
            for (int i = written; i < operands.Length; i++)
                if (operands[i] is { } view) FromHost(host[i]!.Value, view);
        }
        finally
        {
            foreach (var view in host) view?.Storage.Release();
        }
    }

    /// <summary>A contiguous host buffer of the view's shape, holding its elements when <paramref name="read"/>.</summary>
    private BufferView ToHost(BufferView view, bool read)
    {
        var storage = Host.Allocate(view.DType, view.Count);
        var copy = new BufferView(storage, view.Shape, Shapes.ContiguousStrides(view.Shape), 0);
        if (!read || view.Count == 0) return copy;
        var source = ContiguousOrCopy(view, out bool copied);
        try
        {
            int count = checked((int)view.Count);
            switch (view.DType)
            {
                case DType.F32: Download(source, new Span<float>((void*)storage.Pointer, count)); break;
                case DType.F64: Download(source, new Span<double>((void*)storage.Pointer, count)); break;
                case DType.I32: Download(source, new Span<int>((void*)storage.Pointer, count)); break;
                default: Download(source, new Span<long>((void*)storage.Pointer, count)); break;
            }
        }
        finally
        {
            if (copied) source.Storage.Release();
        }
        return copy;
    }

    /// <summary>Writes a contiguous host buffer into a device view of the same shape (any strides).</summary>
    private void FromHost(BufferView host, BufferView target)
    {
        if (target.Count == 0) return;
        var staging = Temporary(target.DType, target.Shape);
        try
        {
            int count = checked((int)target.Count);
            switch (target.DType)
            {
                case DType.F32: Upload(new ReadOnlySpan<float>((void*)host.Storage.Pointer, count), staging.Storage); break;
                case DType.F64: Upload(new ReadOnlySpan<double>((void*)host.Storage.Pointer, count), staging.Storage); break;
                case DType.I32: Upload(new ReadOnlySpan<int>((void*)host.Storage.Pointer, count), staging.Storage); break;
                default: Upload(new ReadOnlySpan<long>((void*)host.Storage.Pointer, count), staging.Storage); break;
            }
            Copy(staging, target);
        }
        finally
        {
            staging.Storage.Release();
        }
    }
}
