using Engine.Tests.Support;
using Xunit;

namespace Engine.Tests.Ops;

/// <summary>
/// Out-of-range and negative indices throw IndexOutOfRangeException naming the op, the index and the size, also
/// when the index tensor is large enough (40 000 elements) for the kernels to run in parallel.
/// </summary>
public class IndexErrorTests
{
    public static TheoryData<string, int, long> Cases()
    {
        var data = new TheoryData<string, int, long>();
        foreach (var op in new[] { "IndexSelect", "IndexAdd", "Gather", "ScatterAdd", "OneHot" })
            foreach (int count in new[] { 4, 40_000 })
                foreach (long bad in new[] { 5L, -1L })
                    data.Add(op, count, bad);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadIndicesNameTheOpTheIndexAndTheSize(string op, int count, long bad)
    {
        using var scope = TensorScope.Begin();
        var values = Enumerable.Range(0, count).Select(i => (long)(i % 5)).ToArray();
        values[count / 2 + 1] = bad;
        var index = Tensor.From(values);
        var x = Tensor.Ones([5, 3]);
        var column = index.Reshape(count, 1);
        Action call = op switch
        {
            "IndexSelect" => () => x.IndexSelect(0, index),
            "IndexAdd" => () => x.IndexAdd(0, index, Tensor.Ones([count, 3])),
            "Gather" => () => x.Gather(0, column),
            "ScatterAdd" => () => x.ScatterAdd(0, column, Tensor.Ones([count, 1])),
            _ => () => Tensor.OneHot(index, 5),
        };
        Expect.Throws<IndexOutOfRangeException>(call, op, $"index {bad}", "size 5");
    }
}
