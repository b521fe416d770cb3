namespace Engine.NN.Data;

/// <summary>
/// MNIST and Fashion-MNIST (the same file layout): <c>train-images-idx3-ubyte</c>, <c>train-labels-idx1-ubyte</c>,
/// <c>t10k-images-idx3-ubyte</c>, <c>t10k-labels-idx1-ubyte</c>, each raw or with a <c>.gz</c> suffix, in one folder.
/// Images are [N, 1, 28, 28] grey levels, labels 0-9.
/// </summary>
public static class Mnist
{
    /// <summary>Classes of both data sets.</summary>
    public const int ClassCount = 10;

    /// <summary>Fashion-MNIST's class names, by label.</summary>
    public static IReadOnlyList<string> FashionClasses { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Loads the training (60,000) or test (10,000) split from <paramref name="folder"/>.</summary>
    public static ImageDataset Load(string folder, bool train)
    {
        string prefix = train ? "train" : "t10k";
        var images = Idx.Read(Find(folder, $"{prefix}-images-idx3-ubyte"));
        var labels = Idx.Read(Find(folder, $"{prefix}-labels-idx1-ubyte"));
        string source = Path.Combine(folder, prefix);
        if (images.Dims.Length != 3)
            throw new InvalidDataException($"{source} images: expected 3 dimensions [N, H, W] (magic 0x00000803), got [{string.Join(", ", images.Dims)}]");
        if (labels.Dims.Length != 1)
            throw new InvalidDataException($"{source} labels: expected 1 dimension [N] (magic 0x00000801), got [{string.Join(", ", labels.Dims)}]");
        if (images.Dims[0] != labels.Dims[0])
            throw new InvalidDataException($"{source}: {images.Dims[0]} images but {labels.Dims[0]} labels");
        return new ImageDataset(images.Data, labels.Data, 1, images.Dims[1], images.Dims[2], ClassCount, source);
    }

    /// <summary>The file <paramref name="name"/> in <paramref name="folder"/>, gzipped or raw.</summary>
    private static string Find(string folder, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"MNIST: neither {name}.gz nor {name} is in {Path.GetFullPath(folder)}", Path.Combine(folder, name));
    }
}
