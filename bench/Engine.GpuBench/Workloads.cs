using Engine.Random;

namespace Engine.GpuBench;

/// <summary>
/// The workloads, at full size (what the issue asks for) or divided by <c>scale</c> for a quick run. Elementwise
/// inputs rotate among enough copies to exceed 256 MB, so no call finds its inputs in L2.
/// </summary>
internal static class Workloads
{
    public static IReadOnlyList<Workload> All(long scale)
    {
        long m16 = (16L << 20) / scale, m256 = (256L << 20) / scale;
        int rows = (int)Math.Max(1, 65536 / scale), matrix = (int)Math.Max(64, 4096 / Math.Sqrt(scale));
        return
        [
            new("copy", WorkUnit.Bytes, 2.0 * 4 * m256, device => Copy(device, m256)),
            new("add_16M", WorkUnit.Bytes, 3.0 * 4 * m16, device => Rotating(device, m16, 2, x => (x[0] + x[1]).Dispose())),
            new("add_256M", WorkUnit.Bytes, 3.0 * 4 * m256, device => Rotating(device, m256, 2, x => (x[0] + x[1]).Dispose())),
            new("tanh_16M", WorkUnit.Bytes, 2.0 * 4 * m16, device => Rotating(device, m16, 1, x => x[0].Tanh().Dispose())),
            new("tanh_256M", WorkUnit.Bytes, 2.0 * 4 * m256, device => Rotating(device, m256, 1, x => x[0].Tanh().Dispose())),
            new("sum_256M", WorkUnit.Bytes, 4.0 * m256, device => Rotating(device, m256, 1, x => x[0].Sum().Dispose())),
            new("softmax_65536x1024", WorkUnit.Bytes, 2.0 * 4 * rows * 1024L, device => Matrix(device, rows, 1024, x => x.Softmax(-1).Dispose())),
            new("matmul_4096_f32", WorkUnit.Flops, 2.0 * matrix * matrix * (double)matrix, device => MatMul(device, matrix, tf32: false)),
            new("matmul_4096_tf32", WorkUnit.Flops, 2.0 * matrix * matrix * (double)matrix, device => MatMul(device, matrix, tf32: true)),
        ];
    }

    private static Tensor Random(Device device, int[] shape, ulong seed) => Tensor.Randn(shape, DType.F32, new Generator(seed), device);

    private static Action Copy(Device device, long n)
    {
        var source = Random(device, [checked((int)n)], 1);
        var target = Tensor.Zeros([checked((int)n)], DType.F32, device);
        return () => target.CopyFrom(source);
    }

    /// <summary>Sets of <paramref name="arity"/> inputs of n floats, enough sets to exceed 256 MB, used in turn.</summary>
    private static Action Rotating(Device device, long n, int arity, Action<Tensor[]> call)
    {
        int sets = (int)Math.Max(1, Math.Ceiling((256.0 * (1 << 20)) / (4.0 * n * arity)));
        var inputs = Enumerable.Range(0, sets)
            .Select(s => Enumerable.Range(0, arity).Select(i => Random(device, [checked((int)n)], (ulong)(10 * s + i + 2))).ToArray())
            .ToArray();
        int next = 0;
        return () => call(inputs[next++ % sets]);
    }

    private static Action Matrix(Device device, int rows, int columns, Action<Tensor> call)
    {
        var x = Random(device, [rows, columns], 3);
        return () => call(x);
    }

    private static Action MatMul(Device device, int n, bool tf32)
    {
        var a = Random(device, [n, n], 4);
        var b = Random(device, [n, n], 5);
        return () =>
        {
            CudaDevices.AllowTf32 = tf32;
            a.MatMul(b).Dispose();
        };
    }
}
