using System;
using System.IO;
using System.Reflection;
using Xunit;

namespace DigestTools.Tests
{
    /// <summary>
    /// The file lookup behind both loaders: the PowerShell 7 load context and the Windows PowerShell 5.1
    /// AssemblyResolve handler. 5.1 itself cannot run here, so its decision logic is tested on its own,
    /// with real assembly files in a scratch dependencies/ folder.
    /// </summary>
    public sealed class DependencyPathsTests : IDisposable
    {
        private readonly string _root;
        private readonly string _folder;
        private readonly Version _shipped;

        public DependencyPathsTests()
        {
            _root = Path.Combine(Path.GetTempPath(), "dt-dependency-paths-" + Guid.NewGuid().ToString("n"));
            _folder = Path.Combine(_root, DependencyPaths.FolderName);
            Directory.CreateDirectory(_folder);
            // A real assembly with a real version, as the module ships it.
            string engine = typeof(DigestTools.Engine.Docker.EngineClient).Assembly.Location;
            File.Copy(engine, Path.Combine(_folder, "DigestTools.Engine.dll"));
            _shipped = AssemblyName.GetAssemblyName(engine).Version;
            // Outside the folder: must never be reachable through a crafted name.
            File.Copy(engine, Path.Combine(_root, "Outside.dll"));
        }

        public void Dispose() => Directory.Delete(_root, recursive: true);

        private string Expected => Path.Combine(_folder, "DigestTools.Engine.dll");

        private static AssemblyName Request(string name, Version version = null) => new AssemblyName { Name = name, Version = version };

        [Fact]
        public void Finds_a_present_file_when_no_version_is_asked()
            => Assert.Equal(Expected, DependencyPaths.Find(_folder, Request("DigestTools.Engine")));

        [Fact]
        public void Finds_the_file_for_the_same_or_an_older_version()
        {
            Assert.Equal(Expected, DependencyPaths.Find(_folder, Request("DigestTools.Engine", _shipped)));
            Assert.Equal(Expected, DependencyPaths.Find(_folder, Request("DigestTools.Engine", new Version(0, 0, 1, 0))));
        }

        [Fact]
        public void Refuses_a_file_older_than_the_version_asked_for()
        {
            var newer = new Version(_shipped.Major + 1, 0, 0, 0);
            Assert.Null(DependencyPaths.Find(_folder, Request("DigestTools.Engine", newer)));
            var newerRevision = new Version(_shipped.Major, _shipped.Minor, _shipped.Build, _shipped.Revision + 1);
            Assert.Null(DependencyPaths.Find(_folder, Request("DigestTools.Engine", newerRevision)));
        }

        [Fact]
        public void Answers_null_for_an_assembly_it_does_not_ship()
        {
            Assert.Null(DependencyPaths.Find(_folder, Request("Newtonsoft.Json", new Version(13, 0, 0, 0))));
            Assert.Null(DependencyPaths.Find(_folder, Request("System.Text.Json")));
        }

        [Fact]
        public void Parses_a_full_display_name_as_AssemblyResolve_hands_it_over()
        {
            var request = new AssemblyName($"DigestTools.Engine, Version={_shipped}, Culture=neutral, PublicKeyToken=null");
            Assert.Equal(Expected, DependencyPaths.Find(_folder, request));
        }

        [Theory]
        [InlineData("../Outside")]
        [InlineData("..\\Outside")]
        [InlineData("..")]
        [InlineData("sub/DigestTools.Engine")]
        [InlineData("sub\\DigestTools.Engine")]
        [InlineData("/tmp/Outside")]
        [InlineData("DigestTools..Engine")]
        public void Never_leaves_the_folder_for_names_with_separators_or_dots(string name)
        {
            // Outside.dll really exists one level up: a path-joining implementation would return it.
            Assert.True(File.Exists(Path.Combine(_folder, "..", "Outside.dll")));
            Assert.Null(DependencyPaths.Find(_folder, Request(name)));
        }

        [Fact]
        public void Answers_null_for_null_or_nameless_requests()
        {
            Assert.Null(DependencyPaths.Find(_folder, null));
            Assert.Null(DependencyPaths.Find(_folder, new AssemblyName()));
        }

        [Fact]
        public void A_file_that_is_not_an_assembly_is_not_offered_when_a_version_is_asked()
        {
            File.WriteAllText(Path.Combine(_folder, "Broken.dll"), "not a PE file");
            Assert.Null(DependencyPaths.Find(_folder, Request("Broken", new Version(1, 0, 0, 0))));
        }

        [Fact]
        public void A_missing_folder_finds_nothing()
            => Assert.Null(DependencyPaths.Find(Path.Combine(_root, "absent"), Request("DigestTools.Engine")));
    }
}
