using Engine.NN.Data;
using Xunit;

namespace Engine.NN.Tests.Support;

/// <summary>The real data sets beside the project (<c>../shared/data</c> from the repository root), and small fake ones.</summary>
internal static class TestData
{
    /// <summary>The shared data folder, searched upwards from the test binary: <c>&lt;repo&gt;/../shared/data</c>.</summary>
    public static string? SharedFolder { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "..", "shared", "data");
            if (File.Exists(Path.Combine(dir.FullName, "Engine.sln")))
                return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
        }
        return null;
    }

    /// <summary>The folder of a real data set (<c>mnist</c>, <c>fashion-mnist</c>), or a skip naming what is missing.</summary>
    public static string RequireFolder(string name)
    {
        string? folder = SharedFolder is null ? null : Path.Combine(SharedFolder, name);
        if (folder is null || !Directory.Exists(folder))
            Assert.Skip($"the real {name} files are not here: expected {name}/ under ../shared/data beside the repository (see its README)");
        return folder!;
    }

    /// <summary>Random grey 28x28 images with labels 0-9, for training tests that must not depend on the real files.</summary>
    public static ImageDataset RandomImages(int count, ulong seed)
    {
        var random = new System.Random((int)seed);
        var pixels = new byte[count * 28 * 28];
        var labels = new byte[count];
        random.NextBytes(pixels);
        for (int i = 0; i < count; i++)
        {
            labels[i] = (byte)(i % 10);
            // Brighten a band whose place depends on the label, so the images are learnable.
            for (int j = 0; j < 28; j++) pixels[i * 784 + (2 + 2 * labels[i]) * 28 + j] = 255;
        }
        return new ImageDataset(pixels, labels, 1, 28, 28, 10, "random images");
    }
}
