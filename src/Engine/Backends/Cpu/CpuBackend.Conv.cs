using System.Numerics;
using Engine.Ops;

namespace Engine.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Conv2d(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry)
    {
        if (y.DType == DType.F32) Conv2dOf<float>(x, w, bias, y, geometry);
        else Conv2dOf<double>(x, w, bias, y, geometry);
    }

    private void Conv2dOf<T>(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry) where T : unmanaged, INumber<T>
    {
        RequireContiguous("Conv2d", y);
        var shape = ImplicitConvShape.Forward(geometry);
        using var input = new ContiguousInput<T>(this, x);
        using var weights = new ContiguousInput<T>(this, w);
        using var biasValues = bias is { } b ? new ContiguousInput<T>(this, b) : default;
        using var packed = new ScratchBuffer<T>(ConvForward<T>.PackedWeightsLength(shape));
        ConvForward<T>.PackWeights(shape, weights.Pointer, packed.Pointer);
        ConvForward<T>.Run(shape, input.Pointer, packed.Pointer, biasValues.Pointer, Address<T>(y, y.Offset));
    }

    public void Conv2dTranspose(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry)
    {
        if (y.DType == DType.F32) Conv2dTransposeOf<float>(x, w, bias, y, geometry);
        else Conv2dTransposeOf<double>(x, w, bias, y, geometry);
    }

    private void Conv2dTransposeOf<T>(BufferView x, BufferView w, BufferView? bias, BufferView y, Conv2dGeometry geometry) where T : unmanaged, INumber<T>
    {
        RequireContiguous("Conv2dTranspose", y);
        using var input = new ContiguousInput<T>(this, x);
        using var weights = new ContiguousInput<T>(this, w);
        T* output = Address<T>(y, y.Offset);
        ConvTranspose<T>.Run(geometry, input.Pointer, weights.Pointer, output);
        if (bias is { } b)
        {
            using var biasValues = new ContiguousInput<T>(this, b);
            ConvTranspose<T>.AddBias(output, biasValues.Pointer, geometry.Batch, geometry.InChannels, (long)geometry.Height * geometry.Width);
        }
    }

    public void Conv2dWeightGradient(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry geometry)
    {
        if (gw.DType == DType.F32) Conv2dWeightGradientOf<float>(x, gy, gw, geometry);
        else Conv2dWeightGradientOf<double>(x, gy, gw, geometry);
    }

    private void Conv2dWeightGradientOf<T>(BufferView x, BufferView gy, BufferView gw, Conv2dGeometry geometry) where T : unmanaged, INumber<T>
    {
        RequireContiguous("Conv2dWeightGradient", gw);
        using var input = new ContiguousInput<T>(this, x);
        using var outputGradient = new ContiguousInput<T>(this, gy);
        ConvWeightGradient<T>.Run(ImplicitConvShape.Forward(geometry), input.Pointer, outputGradient.Pointer, Address<T>(gw, gw.Offset));
    }

    private static void RequireContiguous(string op, BufferView output)
    {
        if (!output.IsContiguous) throw new ArgumentException($"{op}: the output buffer must be contiguous");
    }
}
