global using Microsoft.AspNetCore.Http.HttpResults;
global using Terminal.Core.Common;
global using Terminal.Web.Common;
