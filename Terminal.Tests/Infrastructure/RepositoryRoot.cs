namespace Terminal.Tests.Infrastructure;

/// <summary>The checkout the tests run from: the nearest folder above the test binaries that holds <c>Terminal.sln</c>.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(System.IO.Path.Combine(root.FullName, "Terminal.sln")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException("Terminal.sln not found above " + AppContext.BaseDirectory);
    }
}
