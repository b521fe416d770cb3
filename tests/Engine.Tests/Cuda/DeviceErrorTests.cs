using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Cuda;

/// <summary>
/// Errors that kernels report. They are read back at the next synchronisation of the device, whichever thread
/// makes it, so these tests run alone (see <see cref="DeviceErrorCollection"/>).
/// </summary>
[Trait(CudaTest.Category, CudaTest.Gpu)]
[Collection(DeviceErrorCollection.Name)]
public class DeviceErrorTests
{
    /// <summary>
    /// Kernels cannot throw: a bad index is recorded on the device and thrown, as the CPU would have thrown it, at the
    /// next synchronisation (ToArray, Item, CudaDevices.Synchronize). The device stays usable afterwards.
    /// </summary>
    [Fact]
    public void ABadIndexIsReportedAtTheNextSynchronisation()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var x = Tensor.Arange(0, 12, dtype: DType.F32, device: device).Reshape(3, 4);
        (string Op, Func<Tensor> Run, string Index)[] cases =
        [
            ("IndexSelect", () => x.IndexSelect(0, Tensor.From(new long[] { 0, 3 }).To(device)), "index 3 is out of range for a dimension of size 3"),
            ("Gather", () => x.Gather(1, Tensor.From(new[,] { { 0, -1 } }).To(device)), "index -1 is out of range for a dimension of size 4"),
            ("IndexAdd", () => x.IndexAdd(1, Tensor.From(new[] { 9 }).To(device), Tensor.Ones([3, 1], DType.F32, device)), "index 9"),
            ("ScatterAdd", () => x.ScatterAdd(0, Tensor.From(new long[,] { { 5 } }).To(device), Tensor.Ones([1, 1], DType.F32, device)), "index 5"),
            ("OneHot", () => Tensor.OneHot(Tensor.From(new long[] { 1, 10 }).To(device), 10), "index 10 is out of range for a dimension of size 10"),
            ("CrossEntropy", () => Functional.CrossEntropy(x, Tensor.From(new[] { 1, 4, 0 }).To(device)), "label 4 is outside [0, 4)"),
        ];
        foreach (var (op, run, index) in cases)
        {
            var y = run();
            Expect.Throws<IndexOutOfRangeException>(() => y.ToArray<float>(), op, index, device.ToString());
            Assert.Equal(66f, x.Sum().Item<float>());
        }
        x.IndexSelect(1, Tensor.From(new[] { 7 }).To(device));
        Expect.Throws<IndexOutOfRangeException>(() => CudaDevices.Synchronize(), "IndexSelect", "index 7");
        CudaDevices.Synchronize();
    }

    [Fact]
    public void IntegerDivisionByZeroIsReported()
    {
        var device = CudaTest.Device;
        using var scope = TensorScope.Begin();
        var a = Tensor.From(new[] { 7, 8, 9 }).To(device);
        var quotient = a / Tensor.From(new[] { 1, 0, 3 }).To(device);
        Expect.Throws<DivideByZeroException>(() => quotient.ToArray<int>(), "Div", "division of 8 by zero", device.ToString());
        Assert.Equal([3, 4, 4], (a / 2).ToArray<int>());
    }
}

/// <summary>Tests whose kernels report errors on the shared device run alone, so no other test's synchronisation sees them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeviceErrorCollection
{
    public const string Name = "CUDA device errors";
}
