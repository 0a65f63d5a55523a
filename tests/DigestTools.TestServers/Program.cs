using System;
using System.Threading;

namespace DigestTools.TestServers
{
    // Minimal entry point (the infra helper's Program.cs replaces this on merge): "token <dir> [user:password[:repo,repo]]..."
    // runs a TokenServer until stdin closes, printing its realm and certificate bundle path.
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length < 2 || args[0] != "token")
            {
                Console.Error.WriteLine("usage: token <directory> [user:password[:repo,repo]]...");
                return 2;
            }
            using (var server = new TokenServer(args[1]))
            {
                for (int i = 2; i < args.Length; i++)
                {
                    var parts = args[i].Split(new[] { ':' }, 3);
                    server.AddUser(parts[0], parts[1], parts.Length > 2 ? parts[2].Split(',') : null);
                }
                Console.WriteLine("realm=" + server.Realm);
                Console.WriteLine("rootcertbundle=" + server.CertificateBundlePath);
                Console.In.ReadToEnd();
            }
            return 0;
        }
    }
}
