using Engine.Memory;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>BytesInUse, PeakBytesInUse and AllocationCount follow each allocation and release exactly.</summary>
[Collection(MemoryCounterCollection.Name)]
public class AllocationCounterTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    // Blocks are rounded up to 64 bytes up to 1 MiB; above, to an eighth of the power of two below the size (at least 4 KiB).
    [Theory]
    [InlineData(new[] { 1000 }, DType.F32, 4032)]
    [InlineData(new[] { 16 }, DType.F32, 64)]
    [InlineData(new[] { 17 }, DType.F32, 128)]
    [InlineData(new[] { 1 }, DType.I32, 64)]
    [InlineData(new[] { 0 }, DType.F64, 64)]
    [InlineData(new[] { 300, 1000 }, DType.F64, 2_621_440)]
    public void BytesInUseRisesByTheBlockSize(int[] shape, DType dtype, long block)
    {
        long before = Stats.BytesInUse;
        var x = Tensor.Zeros(shape, dtype);
        Assert.Equal(before + block, Stats.BytesInUse);
        x.Dispose();
        Assert.Equal(before, Stats.BytesInUse);
    }

    [Fact]
    public void AScopeReturnsBytesInUseToTheBaseline()
    {
        long before = Stats.BytesInUse;
        using (TensorScope.Begin())
        {
            var x = Tensor.Rand([50, 40]);
            var y = (x.MatMul(x.Transpose()) + 1).Softmax().Sum(0);
            Tensor.Concat([x, x]).Split(7);
            Tensor.Stack([y, y]).Var([1]).LogSumExp();
            x.IndexSelect(0, Tensor.Arange(5)).Norm([1], p: double.PositiveInfinity);
            Assert.True(Stats.BytesInUse > before);
        }
        Assert.Equal(before, Stats.BytesInUse);
    }

    [Fact]
    public void PeakTracksTheMaximumUntilReset()
    {
        Stats.ResetPeak();
        long before = Stats.BytesInUse;
        Assert.Equal(before, Stats.PeakBytesInUse);
        using (TensorScope.Begin())
        {
            var a = Tensor.Zeros([1000]);
            Tensor.Zeros([1000]);
            a.Dispose();
            Tensor.Zeros([16]);
            Assert.Equal(before + 4032 + 64, Stats.BytesInUse);
        }
        Assert.Equal(before, Stats.BytesInUse);
        Assert.Equal(before + 2 * 4032, Stats.PeakBytesInUse);
        Stats.ResetPeak();
        Assert.Equal(before, Stats.PeakBytesInUse);
    }

    [Fact]
    public void AllocationCountCountsStoragesNotViews()
    {
        using var scope = TensorScope.Begin();
        long count = Stats.AllocationCount;
        var x = Tensor.Zeros([3, 4]);
        Assert.Equal(count + 1, Stats.AllocationCount);
        x.Reshape(12).Slice(0, 0, 12, 3).Unsqueeze(0).Expand(2, 4);
        x.Transpose().Unsqueeze(1).Narrow(0, 1, 2).Detach();
        x.Split(1);
        Assert.Equal(count + 1, Stats.AllocationCount);
        _ = x + x;
        Assert.Equal(count + 2, Stats.AllocationCount);
        x.Transpose().Reshape(12); // a copy: the transpose cannot be viewed as one row
        Assert.Equal(count + 3, Stats.AllocationCount);
    }

    [Fact]
    public void StorageIsFreedWhenTheLastViewGoes()
    {
        long before = Stats.BytesInUse;
        var x = Tensor.Zeros([1000]);
        var view = x.Reshape(10, 100);
        var viewOfView = view.Transpose();
        x.Dispose();
        view.Dispose();
        Assert.Equal(before + 4032, Stats.BytesInUse);
        viewOfView.Dispose();
        Assert.Equal(before, Stats.BytesInUse);
    }
}
