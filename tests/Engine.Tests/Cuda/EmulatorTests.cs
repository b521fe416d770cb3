using Engine.Backends.Cuda.Driver;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The emulated device's CUDA semantics, through its check kernels (kernels/emulator/selftest.cu): the threads of a
/// block interleave at barriers, shuffles read the right lanes, atomics add up, and a barrier in divergent code is
/// reported as a failed launch that names the kernel.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public unsafe class EmulatorTests
{
    private static ICudaDriver Emulator
    {
        get
        {
            _ = CudaTest.Device;
            if (!CudaTest.Backend.IsEmulated) Assert.Skip("checks the emulator's own kernels, which only the emulated device has");
            return CudaTest.Backend.Driver;
        }
    }

    private static ulong Upload<T>(ICudaDriver driver, T[] values) where T : unmanaged
    {
        Assert.True(driver.TryAllocate(values.Length * sizeof(T), out ulong pointer));
        fixed (T* source = values) driver.CopyToDevice(pointer, source, values.Length * sizeof(T));
        return pointer;
    }

    private static T[] Download<T>(ICudaDriver driver, ulong pointer, int count) where T : unmanaged
    {
        var values = new T[count];
        fixed (T* target = values) driver.CopyToHost(target, pointer, count * sizeof(T));
        driver.Free(pointer);
        return values;
    }

    private static void Launch(ICudaDriver driver, string kernel, LaunchShape shape, params ulong[] pointers)
    {
        var arguments = new KernelArguments();
        foreach (var pointer in pointers) arguments.Add(pointer);
        driver.Launch(driver.Function("selftest", kernel), shape, arguments);
    }

    [Fact]
    public void BarriersInterleaveTheThreadsOfABlock()
    {
        var driver = Emulator;
        const int n = 16 * 8;
        var values = Enumerable.Range(0, n).Select(i => i * 7).ToArray();
        ulong x = Upload(driver, values), y = Upload(driver, new int[n]);
        Launch(driver, "selftest_rotate", new LaunchShape(new Dim3(1), new Dim3(16, 8), n * sizeof(int)), x, y);
        var expected = values;
        for (int round = 0; round < 3; round++)
        {
            var slots = expected.Select(v => v + round).ToArray();
            expected = Enumerable.Range(0, n).Select(t => slots[(t + 1) % n]).ToArray();
        }
        Assert.Equal(expected, Download<int>(driver, y, n));
        driver.Free(x);
    }

    [Fact]
    public void ShufflesReadTheRightLanes()
    {
        var driver = Emulator;
        const int n = 64;
        var values = Enumerable.Range(0, n).Select(i => 1000 + i * i).ToArray();
        ulong x = Upload(driver, values), y = Upload(driver, new int[4 * n]);
        Launch(driver, "selftest_shuffles", new LaunchShape(new Dim3(1), new Dim3(n)), x, y);
        var result = Download<int>(driver, y, 4 * n);
        for (int t = 0; t < n; t++)
        {
            int lane = t % 32, warp = t - lane;
            Assert.Equal(lane + 3 < 32 ? values[t + 3] : values[t], result[4 * t]);
            Assert.Equal(lane >= 5 ? values[t - 5] : values[t], result[4 * t + 1]);
            Assert.Equal(values[warp + (lane ^ 6)], result[4 * t + 2]);
            Assert.Equal(values[warp + 7], result[4 * t + 3]);
        }
        driver.Free(x);
    }

    [Fact]
    public void AtomicsAddUpOverBlocks()
    {
        var driver = Emulator;
        ulong f = Upload(driver, new float[1]), d = Upload(driver, new double[1]), i = Upload(driver, new int[2]);
        Launch(driver, "selftest_atomics", new LaunchShape(new Dim3(3), new Dim3(100)), f, d, i);
        Assert.Equal(150f, Download<float>(driver, f, 1)[0]);
        Assert.Equal(75.0, Download<double>(driver, d, 1)[0]);
        Assert.Equal([3 * 4950, 299], Download<int>(driver, i, 2));
    }

    [Fact]
    public void ABarrierInDivergentCodeFailsTheLaunch()
    {
        var driver = Emulator;
        ulong y = Upload(driver, new int[32]);
        Expect.Throws<CudaException>(() => Launch(driver, "selftest_divergent_barrier", new LaunchShape(new Dim3(1), new Dim3(32)), y),
            "emu_launch(selftest_divergent_barrier)", "CUDA_ERROR_LAUNCH_FAILED", "deadlock", "16 threads wait at __syncthreads");
        driver.Free(y);
        using var scope = TensorScope.Begin();
        Assert.Equal(6f, Tensor.Arange(0, 4, dtype: DType.F32, device: CudaTest.Device).Sum().Item<float>());
    }
}
