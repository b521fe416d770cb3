using Engine.Backends.Cuda.Driver;
using Engine.Ops;

namespace Engine.Backends.Cuda;

internal sealed unsafe partial class CudaBackend
{
    public void Fill(BufferView y, double value)
    {
        long n = y.Count;
        if (n == 0) return;
        ulong bits = y.DType switch
        {
            DType.F32 => BitConverter.SingleToUInt32Bits((float)value),
            DType.F64 => BitConverter.DoubleToUInt64Bits(value),
            DType.I32 => (uint)checked((int)value),
            _ => (ulong)checked((long)value),
        };
        if (y.IsContiguous)
        {
            int size = y.DType.ElementSize();
            if (SameBytes(bits, size))
            {
                driver.SetBytes(Address(y), (byte)bits, n * size);
                return;
            }
            if (size == 4)
            {
                driver.SetWords(Address(y), (uint)bits, n);
                return;
            }
        }
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, y));
        AddValue(ref arguments, y.DType, value);
        arguments.Add(Address(y));
        Launch(KernelNames.Creation, $"fill_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    /// <summary>True when every byte of the element's bit pattern is the same (zero, or -1 for integers), so a byte memset fills it.</summary>
    private static bool SameBytes(ulong bits, int size)
    {
        ulong first = bits & 0xFF;
        for (int i = 1; i < size; i++)
            if (((bits >> (8 * i)) & 0xFF) != first) return false;
        return true;
    }

    public void Copy(BufferView x, BufferView y)
    {
        CheckShapes("Copy", x.Shape, y.Shape);
        long n = y.Count;
        if (n == 0) return;
        if (x.DType == y.DType && x.IsContiguous && y.IsContiguous)
        {
            driver.CopyOnDevice(Address(y), Address(x), n * x.DType.ElementSize());
            return;
        }
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(KernelLayout.Of(y.Shape, x, y));
        arguments.Add(Address(x));
        arguments.Add(Address(y));
        Launch(KernelNames.Creation, $"copy_{KernelNames.Suffix(x.DType)}_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    public void Arange(BufferView y, double start, double step)
    {
        long n = y.Count;
        if (n == 0) return;
        if (!y.IsContiguous) throw new ArgumentException($"Arange: the destination on {Device} must be contiguous");
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(start);
        arguments.Add(step);
        arguments.Add(Address(y));
        Launch(KernelNames.Creation, $"arange_{KernelNames.Suffix(y.DType)}", launch.Elementwise(n), arguments);
    }

    public void Random(BufferView y, RandomDistribution distribution, ulong seed, ulong offset)
    {
        if (!y.IsContiguous) throw new ArgumentException("Random: the destination must be contiguous");
        if (!y.DType.IsFloating()) throw new ArgumentException($"Random: dtype {y.DType} is not floating");
        long n = y.Count;
        if (n == 0) return;
        var arguments = new KernelArguments();
        arguments.Add(n);
        arguments.Add(seed);
        arguments.Add(offset);
        arguments.Add(Address(y));
        Launch(KernelNames.Random, KernelNames.Of(distribution, y.DType), launch.Elementwise((n + 3) / 4), arguments);
    }
}
