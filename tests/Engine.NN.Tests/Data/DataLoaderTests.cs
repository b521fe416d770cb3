using Engine.NN.Data;
using Engine.NN.Tests.Support;
using Xunit;

namespace Engine.NN.Tests.Data;

/// <summary>Batching, seeded shuffling, normalisation, augmentation and prefetching of the data loader.</summary>
public class DataLoaderTests
{
    private static readonly ArrayDataset Numbers = new([.. Enumerable.Range(0, 20).Select(i => (float)i)], [.. Enumerable.Range(0, 10).Select(i => i % 3)], 2, 3);

    private static List<(float[] Inputs, long[] Labels, int[] Shape)> Collect(DataLoader loader, int epoch) =>
        [.. loader.Epoch(epoch).Select(b => (b.Inputs.ToArray<float>(), b.Labels.ToArray<long>(), b.Inputs.Shape))];

    [Fact]
    public void BatchesCoverTheDataInOrderWithAShorterLastBatch()
    {
        var batches = Collect(new DataLoader(Numbers, 4), 0);
        Assert.Equal(3, batches.Count);
        Assert.Equal([[4, 2], [4, 2], [2, 2]], batches.Select(b => b.Shape));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (float)i), batches.SelectMany(b => b.Inputs));
        Assert.Equal([0L, 1, 2, 0], batches[0].Labels);
        Assert.Equal(2, new DataLoader(Numbers, 4, dropLast: true).BatchCount);
    }

    [Fact]
    public void ShufflingIsAPermutationFixedBySeedAndEpoch()
    {
        var loader = new DataLoader(Numbers, 3, shuffle: true, seed: 9);
        var first = Collect(loader, 0).SelectMany(b => b.Inputs).ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (float)i), first.Order());
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (float)i), first);
        Assert.Equal(first, Collect(new DataLoader(Numbers, 3, shuffle: true, seed: 9, prefetch: false), 0).SelectMany(b => b.Inputs));
        Assert.NotEqual(first, Collect(loader, 1).SelectMany(b => b.Inputs));
        Assert.NotEqual(first, Collect(new DataLoader(Numbers, 3, shuffle: true, seed: 10), 0).SelectMany(b => b.Inputs));
    }

    [Fact]
    public void NormalisationAndF64()
    {
        var loader = new DataLoader(Numbers, 10, normalization: new Normalization([1], [2]), dtype: DType.F64);
        var (dtype, values) = loader.Epoch(0).Select(b => (b.Inputs.DType, b.Inputs.ToArray<double>())).Single();
        Assert.Equal(DType.F64, dtype);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (i - 1) / 2.0), values);
    }

    [Fact]
    public void AugmentationCropsWithZeroPaddingAndFlipsReproducibly()
    {
        // One 1x3x3 image holding 1..9; every augmented version is a shift of it (with zeros) and maybe a mirror.
        var image = new ImageDataset([1, 2, 3, 4, 5, 6, 7, 8, 9], [0], 1, 3, 3, 1, "3x3");
        var loader = new DataLoader(image, 1, seed: 3, augmentation: new Augmentation(CropPadding: 1, HorizontalFlip: true));
        var seen = new HashSet<string>();
        for (int epoch = 0; epoch < 60; epoch++)
        {
            var x = First(loader, epoch).Select(v => (int)Math.Round(v * 255)).ToArray();
            Assert.Contains(x, Candidates());
            seen.Add(string.Join(",", x));
        }
        Assert.True(seen.Count >= 12, $"only {seen.Count} distinct crops and flips in 60 epochs");
        Assert.Equal(First(loader, 5), First(loader, 5));
    }

    /// <summary>The inputs of an epoch's first batch, read while the batch is current.</summary>
    private static float[] First(DataLoader loader, int epoch) => loader.Epoch(epoch).Select(b => b.Inputs.ToArray<float>()).First();

    /// <summary>Every shift by -1..1 in both directions of the 3x3 image 1..9, mirrored or not.</summary>
    private static IEnumerable<int[]> Candidates()
    {
        foreach (bool flip in new[] { false, true })
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    yield return [.. Enumerable.Range(0, 9).Select(k =>
                    {
                        int i = k / 3 + dy, j = (flip ? 2 - k % 3 : k % 3) + dx;
                        return i is >= 0 and < 3 && j is >= 0 and < 3 ? 3 * i + j + 1 : 0;
                    })];
    }

    [Fact]
    public void EachBatchIsDisposedWhenTheNextIsRequestedAndStoppingEarlyIsClean()
    {
        var loader = new DataLoader(TestData.RandomImages(50, 1), 8, shuffle: true, seed: 1);
        Batch? previous = null;
        foreach (var batch in loader.Epoch(0))
        {
            Assert.False(batch.Inputs.IsDisposed);
            if (previous is not null) Assert.True(previous.Inputs.IsDisposed);
            previous = batch;
            if (batch.Index == 3) break;
        }
        Assert.True(previous!.Inputs.IsDisposed);
        Assert.Equal(7, loader.BatchCount);
    }
}
