using Engine.Backends.Cuda.Driver;
using Engine.Backends.Cuda.Native;
using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// The cuDNN path: statuses become exceptions named as cuDNN names them; where cuDNN 9 is installed (a GPU machine), every
/// export the bindings use is there, and convolutions really go through cuDNN (a searched plan is cached) and match the
/// CPU. Without cuDNN (the emulator, ENGINE_CUDNN=0) those tests skip, saying why.
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
public class CudnnTests
{
    [Fact]
    public void AFailedStatusNamesTheCallAndTheError()
    {
        var error = Expect.Throws<CudaException>(() => CudnnStatus.BadParam.Check("cudnnConvolutionForward", "x [1, 2, 3, 4]"),
            "cudnnConvolutionForward", "CUDNN_STATUS_BAD_PARAM", "x [1, 2, 3, 4]");
        Assert.Equal((int)CudnnStatus.BadParam, error.Code);
    }

    /// <summary>The device says what computes its convolutions, and why cuDNN does not when it does not.</summary>
    [Fact]
    public void TheConvolutionLibraryIsNamed()
    {
        var backend = CudaTest.Backend;
        string library = backend.ConvolutionLibrary;
        if (backend.Driver.Cudnn is { } cudnn)
        {
            Assert.Equal(cudnn.Name, library);
            Assert.StartsWith("cuDNN 9.", library);
            return;
        }
        Assert.StartsWith(OwnConvolutions.Name, library);
        Assert.EndsWith(backend.IsEmulated ? "the emulated device has no cuDNN" : "", library);
        if (!backend.IsEmulated) Assert.Contains("cuDNN is not used: ", library);
    }

    [Fact]
    public void TheLoadedCudnnExportsEveryBoundEntryPoint()
    {
        var library = NativeLibraries.TryLoad(NativeLibraries.Cudnn);
        if (library == IntPtr.Zero) Assert.Skip($"cuDNN 9 (libcudnn.so.9) is not installed here (or not in {NativeLibraries.PathVariable})");
        Assert.Empty(CudnnApi.MissingExports(library));
        Assert.True(CudnnApi.cudnnGetVersion() >= 90000, $"cuDNN version {CudnnApi.cudnnGetVersion()}");
    }

    /// <summary>
    /// Every geometry of <see cref="ConvolutionConformanceTests"/> in F32 and F64, each pass searched by cuDNN; in F32 the
    /// ResNet geometries (3x3, 1x1) must have found a deterministic algorithm, so they ran on cuDNN, not on the own
    /// kernels (cuDNN's F64 algorithms are fewer: there a search may end on the own kernels).
    /// </summary>
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void ConvolutionsRunOnCudnnAndMatchTheCpu(DType dtype)
    {
        var backend = CudaTest.Backend;
        var cudnn = backend.Driver.Cudnn;
        if (cudnn is null)
        {
            Assert.Skip($"cuDNN is not used on {CudaTest.Device}: {backend.ConvolutionLibrary}");
            return;
        }
        using var scope = TensorScope.Begin();
        foreach (var (name, c) in ConvolutionConformanceTests.Geometries)
        {
            var (x, _) = Sample.Make(5100, c.Input, dtype, Layout.Contiguous);
            var (w, _) = Sample.Make(5101, c.Weight, dtype, Layout.Contiguous);
            Conformance.Check($"cuDNN Conv2d {name} ({c}) {dtype}", t => Functional.Conv2d(t[0], t[1], null, c.Stride, c.Padding, c.Dilation, c.Groups),
                DeviceTol.Accumulated(dtype), x, w);
            var geometry = Engine.Ops.Conv2dGeometry.ForConv("test", c.Input, c.Weight, c.Stride, c.Padding, c.Dilation, c.Groups);
            foreach (var pass in Enum.GetValues<ConvolutionPass>())
            {
                Assert.True(cudnn.TryGetPlan(new ConvolutionKey(pass, dtype, geometry, false), out var plan), $"{name}: no cuDNN search for {pass}");
                if (dtype == DType.F32 && (name.StartsWith("3x3", StringComparison.Ordinal) || name.StartsWith("1x1", StringComparison.Ordinal)))
                    Assert.True(plan is not null, $"{name} {dtype}: cuDNN found no deterministic algorithm for {pass}");
            }
        }
    }
}
