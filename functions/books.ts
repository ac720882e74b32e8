import type { Handler } from "../runtime";

const BOOKS = [
  { id: "1", title: "The Pragmatic Programmer", price: 42 },
  { id: "2", title: "Designing Data-Intensive Applications", price: 48 },
  { id: "3", title: "Structure and Interpretation of Computer Programs", price: 55 },
];
const PAGE_SIZE = 2;

/** `GET /books?page=N`: a page of books (cached at the gateway, varying by `page`). */
export const list: Handler = (request) => {
  const page = Math.max(1, Number(new URL(request.url).searchParams.get("page") ?? "1") || 1);
  const items = BOOKS.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return Response.json({ page, items });
};

/** `GET /books/{id}`: one book, or 404. */
export const get: Handler = (_request, ctx) => {
  const book = BOOKS.find((b) => b.id === ctx.params.id);
  return book ? Response.json(book) : Response.json({ error: "not found", id: ctx.params.id }, { status: 404 });
};
