using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Unary(UnaryOp op, BufferView x, BufferView y, double alpha, double beta)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, x, y));
        arguments.Add(Address(x));
        arguments.Add(Address(y));
        // As the CPU backend: parameters cast (unchecked) to the dtype.
        switch (x.DType)
        {
            case DType.F32: arguments.Add((float)alpha); arguments.Add((float)beta); break;
            case DType.F64: arguments.Add(alpha); arguments.Add(beta); break;
            case DType.I32: arguments.Add((int)alpha); arguments.Add((int)beta); break;
            default: arguments.Add((long)alpha); arguments.Add((long)beta); break;
        }
        Launch(KernelNames.Elementwise, KernelNames.Of(op, x.DType), launch.Elementwise(n), arguments);
    }

    public void UnaryGradient(UnaryOp op, BufferView g, BufferView saved, BufferView y, double alpha, double beta)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, g, saved, y));
        arguments.Add(Address(g));
        arguments.Add(Address(saved));
        arguments.Add(Address(y));
        if (y.DType == DType.F32)
        {
            arguments.Add((float)alpha);
            arguments.Add((float)beta);
        }
        else
        {
            arguments.Add(alpha);
            arguments.Add(beta);
        }
        Launch(KernelNames.Elementwise, KernelNames.Of(op, "grad", y.DType), launch.Elementwise(n), arguments);
    }

    public void Binary(BinaryOp op, BufferView a, BufferView b, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, a, b, y));
        arguments.Add(Address(a));
        arguments.Add(Address(b));
        arguments.Add(Address(y));
        arguments.Add(ErrorRecordFor(op, a.DType));
        Launch(KernelNames.Elementwise, KernelNames.Of(op, a.DType), launch.Elementwise(n), arguments);
    }

    public void BinaryScalar(BinaryOp op, BufferView a, double scalar, BufferView y, bool scalarFirst)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, a, y));
        arguments.Add(Address(a));
        AddValue(ref arguments, a.DType, scalar);
        arguments.Add(scalarFirst ? 1 : 0);
        arguments.Add(Address(y));
        arguments.Add(ErrorRecordFor(op, a.DType));
        Launch(KernelNames.Elementwise, KernelNames.Of(op, "scalar", a.DType), launch.Elementwise(n), arguments);
    }

    public void Where(BufferView condition, BufferView a, BufferView b, BufferView y)
    {
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, condition, a, b, y));
        arguments.Add(Address(condition));
        arguments.Add(Address(a));
        arguments.Add(Address(b));
        arguments.Add(Address(y));
        string name = $"where_{KernelNames.Suffix(condition.DType)}_{KernelNames.Suffix(a.DType)}";
        Launch(KernelNames.Elementwise, name, launch.Elementwise(n), arguments);
    }

    /// <summary>Only integer division can fail in a kernel; the others get the record without being watched for errors.</summary>
    private ulong ErrorRecordFor(BinaryOp op, DType dtype) => op == BinaryOp.Div && !dtype.IsFloating() ? ErrorRecord() : errorRecord;

    /// <summary>A scalar converted as the CPU backend's Fill converts it: checked for integer dtypes.</summary>
    private static void AddValue(ref KernelArguments arguments, DType dtype, double value)
    {
        switch (dtype)
        {
            case DType.F32: arguments.Add((float)value); break;
            case DType.F64: arguments.Add(value); break;
            case DType.I32: arguments.Add(checked((int)value)); break;
            default: arguments.Add(checked((long)value)); break;
        }
    }
}
