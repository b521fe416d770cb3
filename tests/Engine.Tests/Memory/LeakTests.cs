using Engine.Memory;
using Xunit;

namespace Engine.Tests.Memory;

/// <summary>Ops run outside any scope, and ops that fail, leave nothing allocated once their results are disposed.</summary>
[Collection(MemoryCounterCollection.Name)]
public class LeakTests
{
    private static readonly IMemoryStats Stats = DeviceMemory.Stats(Device.Cpu);

    [Fact]
    public void OpsOutsideAScopeFreeEverythingWhenDisposed()
    {
        Assert.Null(TensorScope.Current);
        long before = Stats.BytesInUse;
        var owned = new List<Tensor>();
        Tensor Own(Tensor t)
        {
            owned.Add(t);
            return t;
        }
        var a = Own(Tensor.Ones([2, 3]));
        var b = Own(Tensor.Ones([4, 3]));
        var bT = Own(b.Transpose());
        var v = Own(Tensor.Ones([3]));
        var labels = Own(Tensor.Zeros([4], DType.I64));
        var index = Own(Tensor.Zeros([2, 1], DType.I64));
        var mask = Own(a > 0);
        Tensor[] results =
        [
            Tensor.Concat([a, b]), Tensor.Stack([a, a], 1), a.MatMul(bT), v.MatMul(bT), a.Sum(1), a.Max([0, 1]), a.Mean(0),
            a.Var(), a.Std([1]), a.LogSumExp(), a.Norm(), a.Norm(p: 1), a.ArgMax(1), bT.Reshape(12), a.Softmax(0),
            Functional.MseLoss(a, a), Tensor.Linear(b, a, Own(Tensor.Ones([2]))), Functional.CrossEntropy(b, labels),
            a.Gather(1, index), Tensor.Where(mask, a, a), 2 - a, a.To(DType.F64), a.Flatten(), Tensor.LinearCombination(a, [2.0], [a]),
        ];
        foreach (var t in results.Concat(owned)) t.Dispose();
        Assert.Equal(before, Stats.BytesInUse);
    }

    [Fact]
    public void ReadingADisposedTensorAllocatesNothing()
    {
        var x = Tensor.Ones([4, 4]);
        x.Dispose();
        long before = Stats.BytesInUse;
        Assert.Throws<ObjectDisposedException>(() => x.ToArray<double>());
        Assert.Throws<ObjectDisposedException>(() => x.Transpose().ToArray<float>());
        Assert.Equal(before, Stats.BytesInUse);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(40_000)]
    public void OpsRejectingAnIndexLeaveNothingAllocated(int count)
    {
        Assert.Null(TensorScope.Current);
        var x = Tensor.Ones([5, 3]);
        var values = new long[count];
        values[^1] = 5;
        var index = Tensor.From(values);
        var column = index.Reshape(count, 1);
        var rows = Tensor.Ones([count, 3]);
        var ones = Tensor.Ones([count, 1]);
        long before = Stats.BytesInUse;
        Assert.Throws<IndexOutOfRangeException>(() => x.IndexSelect(0, index));
        Assert.Throws<IndexOutOfRangeException>(() => x.IndexAdd(0, index, rows));
        Assert.Throws<IndexOutOfRangeException>(() => x.Gather(0, column));
        Assert.Throws<IndexOutOfRangeException>(() => x.ScatterAdd(0, column, ones));
        Assert.Throws<IndexOutOfRangeException>(() => Tensor.OneHot(index, 5));
        Assert.Equal(before, Stats.BytesInUse);
        foreach (var t in new[] { x, index, column, rows, ones }) t.Dispose();
    }
}
