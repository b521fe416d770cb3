using System.Runtime.CompilerServices;
using Engine.Backends.Cuda;
using Engine.Backends.Cuda.Driver;
using Engine.Backends.Cuda.Kernels;
using Engine.Backends.Cuda.Native;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>The driver layer: launch errors name the kernel, NVRTC failures show the log, and what only a real GPU can show.</summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class DriverTests
{
    private static ICudaDriver Driver => CudaTest.Backend.Driver;

    [Fact]
    public void ABadLaunchNamesTheKernel()
    {
        var function = Driver.Function(KernelNames.Elementwise, "exp_f32");
        var arguments = new KernelArguments();
        arguments.Add(0L);
        arguments.Add(new KernelLayout());
        arguments.Add(0UL);
        arguments.Add(0UL);
        arguments.Add(0f);
        arguments.Add(0f);
        var error = Expect.Throws<CudaException>(() => Driver.Launch(function, new LaunchShape(new Dim3(1), new Dim3(2048)), arguments),
            "exp_f32", "CUDA_ERROR_INVALID_VALUE", "block (2048, 1, 1)");
        Assert.Equal((int)CuResult.InvalidValue, error.Code);
    }

    [Fact]
    public void AMissingKernelIsNamed()
    {
        Expect.Throws<CudaException>(() => Driver.Function(KernelNames.Elementwise, "cube_f32"), "cube_f32", "CUDA_ERROR_NOT_FOUND");
    }

    /// <summary>The emulator checks each launch's parameters against the kernel's signature, which catches a packing mistake in CI.</summary>
    [Fact]
    public void TheEmulatorChecksParameterSizes()
    {
        if (!CudaTest.Backend.IsEmulated) Assert.Skip("the CUDA driver does not check parameter sizes; the emulator does");
        var function = Driver.Function(KernelNames.Elementwise, "exp_f32");
        var arguments = new KernelArguments();
        arguments.Add(0L);
        arguments.Add(new KernelLayout());
        arguments.Add(0UL);
        arguments.Add(0UL);
        arguments.Add(0.0);
        Expect.Throws<CudaException>(() => Driver.Launch(function, new LaunchShape(new Dim3(1), new Dim3(32)), arguments),
            "emu_launch(exp_f32)", "[8, 296, 8, 8, 8]", "the kernel takes [8, 296, 8, 8, 4, 4]");
    }

    /// <summary>kernels/common.cuh's Layout (the emulator's build asserts the same size on the C++ side).</summary>
    [Fact]
    public void KernelLayoutMatchesTheKernels() => Assert.Equal(296, Unsafe.SizeOf<KernelLayout>());

    private static void RequireNvrtc()
    {
        if (NativeLibraries.TryLoad(NativeLibraries.Nvrtc) == IntPtr.Zero)
            Assert.Skip($"NVRTC (libnvrtc.so) is not installed (or not in {NativeLibraries.PathVariable}); the emulated device runs kernels compiled by g++");
    }

    /// <summary>NVRTC accepts every kernel file as it is (no GPU needed): what the clang parse check approximates in CI.</summary>
    [Fact]
    public void EveryKernelFileCompilesWithNvrtc()
    {
        RequireNvrtc();
        var headers = KernelSources.Headers.ToArray();
        foreach (var module in Modules)
        {
            var ptx = NvrtcCompiler.Compile(module + ".cu", KernelSources.Module(module), headers, ["--gpu-architecture=compute_70", "--std=c++17"]);
            Assert.Contains(".entry", System.Text.Encoding.ASCII.GetString(ptx));
        }
    }

    private static readonly string[] Modules =
        [KernelNames.Elementwise, KernelNames.Creation, KernelNames.Random, KernelNames.Reduce, KernelNames.Softmax, KernelNames.Combination, KernelNames.Index,
         KernelNames.Loss, KernelNames.OdeNorm, KernelNames.Conv, KernelNames.Norm, KernelNames.Pool, KernelNames.Optim];

    [Fact]
    public void NvrtcFailuresShowTheCompileLog()
    {
        RequireNvrtc();
        const string source = "extern \"C\" __global__ void broken(float* y) { y[0] = undefined_name; }";
        Expect.Throws<CudaException>(() => NvrtcCompiler.Compile("broken.cu", source, [], ["--gpu-architecture=compute_70"]),
            "nvrtcCompileProgram(broken.cu", "NVRTC_ERROR_COMPILATION", "undefined_name", "is undefined");
    }

    /// <summary>Every kernel file is compiled for this GPU and loaded by the driver (on the emulator g++ compiled them at build time).</summary>
    [Fact]
    public void EveryKernelFileLoadsOnTheDevice()
    {
        CudaTest.RequireRealGpu("the kernels are compiled by NVRTC for the GPU and loaded by its driver at first use");
        foreach (var module in Modules)
            Assert.NotNull(Driver.Function(module, module switch
            {
                KernelNames.Elementwise => "add_f32",
                KernelNames.Creation => "copy_f64_i32",
                KernelNames.Random => "normal_f64",
                KernelNames.Reduce => "argmax_rows_i64",
                KernelNames.Softmax => "softmax_columns_f32",
                KernelNames.Combination => "linear_combination_f64",
                KernelNames.Loss => "cross_entropy_grad_f32",
                KernelNames.OdeNorm => "scaled_error_finish",
                _ => "scatter_add_i32",
            }));
    }

    [Fact]
    public void EveryKernelFileIsEmbedded()
    {
        foreach (var module in Modules)
            Assert.Contains("extern \"C\" __global__", KernelSources.Module(module));
        Assert.Contains(KernelSources.Headers, h => h.Key == "common.cuh");
    }

    [Fact]
    public void ThePtxCacheKeysEveryInput()
    {
        var folder = Path.Combine(Path.GetTempPath(), "engine-ptx-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            int compilations = 0;
            byte[] Compile() => [(byte)++compilations];
            KeyValuePair<string, string>[] headers = [new("common.cuh", "// v1")];
            var first = PtxCache.GetOrCompile(folder, "m", "src", headers, ["-a"], (12, 8), Compile);
            var again = PtxCache.GetOrCompile(folder, "m", "src", headers, ["-a"], (12, 8), Compile);
            Assert.Equal(first, again);
            PtxCache.GetOrCompile(folder, "m", "src2", headers, ["-a"], (12, 8), Compile);
            PtxCache.GetOrCompile(folder, "m", "src", [new("common.cuh", "// v2")], ["-a"], (12, 8), Compile);
            PtxCache.GetOrCompile(folder, "m", "src", headers, ["-b"], (12, 8), Compile);
            PtxCache.GetOrCompile(folder, "m", "src", headers, ["-a"], (13, 0), Compile);
            Assert.Equal(5, compilations);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>TF32 products round the inputs to 10-bit mantissas: visibly less exact than F32, still close.</summary>
    [Fact]
    public void Tf32IsAnOption()
    {
        CudaTest.RequireRealGpu("TF32 tensor cores exist only on the GPU; the emulator's GEMM ignores the setting");
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var a = Tensor.Randn([512, 512], DType.F64, new Engine.Random.Generator(1));
        var b = Tensor.Randn([512, 512], DType.F64, new Engine.Random.Generator(2));
        var exact = a.MatMul(b);
        double Error(bool tf32)
        {
            CudaDevices.AllowTf32 = tf32;
            try
            {
                var product = a.To(DType.F32).To(device).MatMul(b.To(DType.F32).To(device)).To(Device.Cpu).To(DType.F64);
                return (product - exact).Norm().Item<double>() / exact.Norm().Item<double>();
            }
            finally
            {
                CudaDevices.AllowTf32 = false;
            }
        }
        double plain = Error(false), tf32 = Error(true);
        Assert.True(plain < 1e-6, $"F32 product relative error {plain}");
        Assert.True(tf32 > 10 * plain && tf32 < 1e-2, $"TF32 product relative error {tf32} (F32: {plain})");
    }

    /// <summary>Device events time work on the GPU; the emulator's events read the host clock and say nothing of a GPU.</summary>
    [Fact]
    public void EventsTimeDeviceWork()
    {
        CudaTest.RequireRealGpu("device timing is meaningful only on a GPU");
        using var scope = TensorScope.Begin();
        var x = Tensor.Rand([1 << 24], DType.F32, device: CudaTest.Device);
        IntPtr start = Driver.CreateEvent(), end = Driver.CreateEvent();
        Driver.RecordEvent(start);
        for (int i = 0; i < 10; i++) x.Exp().Dispose();
        Driver.RecordEvent(end);
        float milliseconds = Driver.ElapsedMilliseconds(start, end);
        Driver.DestroyEvent(start);
        Driver.DestroyEvent(end);
        // 10 passes of 128 MB: above 0.1 ms even at 13 TB/s, below 1 s even at 1.3 GB/s.
        Assert.InRange(milliseconds, 0.1f, 1000f);
    }
}
